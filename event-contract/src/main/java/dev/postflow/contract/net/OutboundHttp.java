package dev.postflow.contract.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Blocking HTTP calls to other servers, one small interface for the OAuth flows, Mastodon app registration, atproto
 * sessions and link cards. {@link #guarded} clients call servers a user names (a Mastodon instance, a Bluesky PDS and
 * its authorization server, a did:web domain, a linked page): the {@link AddressPolicy} resolves every host name and
 * the connection goes to the addresses it checked, so a name that answers a public address to the check and a private
 * one to the connect (DNS rebinding) cannot reach inside. {@link #unguarded} clients call servers the operator
 * configured. Neither follows redirects; answers are read up to a limit.
 */
public final class OutboundHttp implements AutoCloseable {
  /** Answers larger than this are cut ({@link Answer#truncated()}) unless a call names its own limit. */
  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

  /** An answer: header names in lower case, first value each. */
  public record Answer(int status, Map<String, String> headers, byte[] body, boolean truncated) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final CloseableHttpClient client;

  private OutboundHttp(DnsResolver dns, Duration timeout, String userAgent) {
    Timeout perStep = Timeout.of(timeout);
    client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(dns)
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(Math.min(10, timeout.toSeconds())))
                .setSocketTimeout(perStep).setTimeToLive(TimeValue.ofMinutes(5)).build())
            .setMaxConnPerRoute(20).setMaxConnTotal(200)
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(perStep).setConnectionRequestTimeout(perStep).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .evictIdleConnections(TimeValue.ofSeconds(30))
        .setUserAgent(userAgent)
        .build();
  }

  /** For servers a user names: every address is checked at connect time; a refused one fails the call with {@link AddressPolicy.UnsafeAddressException}. */
  public static OutboundHttp guarded(AddressPolicy policy, Duration timeout, String userAgent) {
    return new OutboundHttp(dnsResolver(policy), timeout, userAgent);
  }

  /** For servers the operator configured (platform token endpoints, the handle resolver). */
  public static OutboundHttp unguarded(Duration timeout, String userAgent) {
    return new OutboundHttp(SystemDefaultDnsResolver.INSTANCE, timeout, userAgent);
  }

  /** Name resolution through the policy, for any Apache HTTP client: the addresses connected to are the ones checked. */
  public static DnsResolver dnsResolver(AddressPolicy policy) {
    return new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) throws UnknownHostException {
        return policy.resolveSafely(host);
      }

      @Override
      public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return policy.resolveSafely(host)[0].getCanonicalHostName();
      }
    };
  }

  public Answer get(String url, Map<String, String> headers) throws IOException {
    return send("GET", url, headers, null, DEFAULT_MAX_BYTES);
  }

  public Answer post(String url, Map<String, String> headers, String body) throws IOException {
    return send("POST", url, headers, body, DEFAULT_MAX_BYTES);
  }

  /** One request; {@code body} (may be null) is sent as given, its type from {@code headers}. At most {@code maxBytes} of the answer are read. */
  public Answer send(String method, String url, Map<String, String> headers, String body, int maxBytes) throws IOException {
    HttpUriRequestBase request;
    try {
      request = new HttpUriRequestBase(method, java.net.URI.create(url));
    } catch (IllegalArgumentException e) {
      throw new IOException("not a valid URL: " + url, e);
    }
    String type = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) type = header.getValue();
      else request.setHeader(header.getKey(), header.getValue());
    }
    if (body != null) request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), type == null ? null : ContentType.parse(type)));
    return client.execute(request, response -> {
      Map<String, String> names = new HashMap<>();
      for (Header header : response.getHeaders()) names.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
      byte[] bytes = new byte[0];
      if (response.getEntity() != null) {
        try (InputStream in = response.getEntity().getContent()) {
          bytes = in.readNBytes(maxBytes + 1);
        }
      }
      boolean truncated = bytes.length > maxBytes;
      return new Answer(response.getCode(), Map.copyOf(names), truncated ? Arrays.copyOf(bytes, maxBytes) : bytes, truncated);
    });
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
