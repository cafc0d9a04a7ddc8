package dev.postflow.webhooks.delivery;

import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.OutboundHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client for webhook deliveries. Every address is checked after DNS resolution, at connect time, by the
 * {@link AddressPolicy} (so a name that re-resolves to a private address is refused); redirects are not followed;
 * an attempt is cut off after the timeout, however slowly the receiver trickles its answer.
 */
final class WebhookHttp implements AutoCloseable {
  /** The outcome of one POST: statusCode null when no answer came (error says why). */
  record Answer(Integer statusCode, String body, String retryAfter, String error) {}

  private final CloseableHttpClient client;
  private final AddressPolicy policy;
  private final Duration timeout;
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "webhook-deadlines");
    thread.setDaemon(true);
    return thread;
  });

  WebhookHttp(AddressPolicy policy, Duration timeout, int maxConnectionsPerEndpoint) {
    this.policy = policy;
    this.timeout = timeout;
    Timeout perStep = Timeout.of(timeout);
    PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
        .setDnsResolver(OutboundHttp.dnsResolver(policy))
        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(Math.min(5, timeout.toSeconds())))
            .setSocketTimeout(perStep).setTimeToLive(TimeValue.ofMinutes(5)).build())
        .setMaxConnPerRoute(maxConnectionsPerEndpoint)
        .setMaxConnTotal(Math.max(50, maxConnectionsPerEndpoint * 50))
        .build();
    client = HttpClients.custom()
        .setConnectionManager(connections)
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .setUserAgent("postflow-webhooks")
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(perStep).setConnectionRequestTimeout(perStep).build())
        .evictIdleConnections(TimeValue.ofSeconds(30))
        .build();
  }

  Answer post(String url, Map<String, String> headers, String body) {
    // Registration checks this too; checked again so that turning the setting on covers endpoints registered before.
    if (policy.requireHttps() && !url.regionMatches(true, 0, "https://", 0, 8)) {
      return new Answer(null, null, null, "unsafe_url: the URL must start with https://");
    }
    HttpPost request;
    try {
      request = new HttpPost(url);
    } catch (IllegalArgumentException e) {
      return new Answer(null, null, null, "invalid URL");
    }
    headers.forEach(request::setHeader);
    request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    ScheduledFuture<?> deadline = deadlines.schedule(request::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return client.execute(request, response -> {
        String start = null;
        if (response.getEntity() != null) {
          try (InputStream in = response.getEntity().getContent()) {
            start = new String(in.readNBytes(1024), StandardCharsets.UTF_8);
          }
        }
        Header retryAfter = response.getFirstHeader("Retry-After");
        return new Answer(response.getCode(), start, retryAfter == null ? null : retryAfter.getValue(), null);
      });
    } catch (AddressPolicy.UnsafeAddressException e) {
      return new Answer(null, null, null, "unsafe_url: " + e.getMessage());
    } catch (IOException e) {
      String error = request.isCancelled() ? "timeout: no complete answer within " + timeout.toMillis() + " ms"
          : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return new Answer(null, null, null, error);
    } finally {
      deadline.cancel(false);
    }
  }

  @Override
  public void close() throws IOException {
    deadlines.shutdownNow();
    client.close();
  }
}
