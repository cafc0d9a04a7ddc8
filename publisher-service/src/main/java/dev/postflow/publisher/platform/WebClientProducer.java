package dev.postflow.publisher.platform;

import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

public class WebClientProducer {
  /** One HTTP client for all platform calls: never follows redirects. */
  @Produces
  @Singleton
  WebClient webClient(Vertx vertx,
      @ConfigProperty(name = "postflow.platforms.max-connections-per-host") int maxConnections,
      @ConfigProperty(name = "postflow.platforms.keep-alive-timeout-seconds") int keepAliveSeconds) {
    return WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setConnectTimeout(5_000)
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setMaxPoolSize(maxConnections)
        .setKeepAliveTimeout(keepAliveSeconds)
        .setUserAgent("postflow-publisher"));
  }
}
