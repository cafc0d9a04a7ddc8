package dev.postflow.posts.media;

import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.OutboundHttp;
import dev.postflow.posts.problem.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Imports media from a URL a workspace gave us. Every address is checked after DNS resolution, at connect time,
 * by the same {@link AddressPolicy} as webhooks (a name that resolves to a private address is refused, also on a
 * redirect); at most 3 redirects; the download stops at the size limit and at the timeout.
 */
@ApplicationScoped
public class MediaDownloader {
  private final CloseableHttpClient client;
  private final AddressPolicy policy;

  MediaDownloader(AddressPolicy policy, @ConfigProperty(name = "postflow.media.import-timeout") Duration timeout) {
    this.policy = policy;
    Timeout perStep = Timeout.of(timeout);
    client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(OutboundHttp.dnsResolver(policy))
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(10)).setSocketTimeout(perStep).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setMaxRedirects(3).setResponseTimeout(perStep).build())
        .disableCookieManagement()
        .disableAutomaticRetries()
        .setUserAgent("postflow-media-import")
        .build();
  }

  /** Downloads into {@code file}; blocking. Refusals and failures are problems (400 / 413 / 422). */
  public void download(String url, Path file, long maxBytes) {
    String unsafe = policy.whyUnsafe(url);
    if (unsafe != null) {
      throw new ProblemException(400, "unsafe_url", "Unsafe URL", "url: " + unsafe);
    }
    try {
      client.execute(new HttpGet(url), response -> {
        int status = response.getCode();
        if (status != 200) {
          throw new ProblemException(422, "media_import_failed", "Media import failed", url + " answered " + status);
        }
        if (response.getEntity() == null) {
          throw new ProblemException(422, "media_import_failed", "Media import failed", url + " answered without a body");
        }
        try (InputStream in = response.getEntity().getContent()) {
          MediaService.copyLimited(in, file, maxBytes);
        }
        return null;
      });
    } catch (AddressPolicy.UnsafeAddressException e) {
      throw new ProblemException(400, "unsafe_url", "Unsafe URL", "url: " + e.getMessage());
    } catch (IOException e) {
      throw new ProblemException(422, "media_import_failed", "Media import failed", "could not download " + url + ": " + e.getMessage());
    }
  }

  @PreDestroy
  void close() throws IOException {
    client.close();
  }
}
