package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Threads publishing (docs/platforms §3): {@code POST /{threads-user-id}/threads} (TEXT, IMAGE, VIDEO, carousel
 * children), {@code status} until FINISHED (about 30 s for video), {@code POST /{threads-user-id}/threads_publish}.
 */
@ApplicationScoped
public class ThreadsPublisher extends ContainerPublisher {
  @ConfigProperty(name = "postflow.platforms.threads.base-url", defaultValue = "https://graph.threads.net/v1.0")
  String baseUrl;

  /** Meta recommends waiting about 30 s on average before publishing. */
  @ConfigProperty(name = "postflow.platforms.threads.poll-interval", defaultValue = "PT10S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.threads.poll-timeout", defaultValue = "PT5M")
  Duration pollTimeout;

  @Override
  public String platform() {
    return "threads";
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("threads-publish")
  @Timeout(value = 8, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return publishWithContainer(request, account);
  }

  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return lookupContainer(request, account);
  }

  @Override
  Map<String, String> single(PublishRequest request, MediaRef media) {
    Map<String, String> params = new LinkedHashMap<>();
    if (media == null) {
      params.put("media_type", "TEXT");
    } else if (media.isVideo()) {
      params.put("media_type", "VIDEO");
      params.put("video_url", media.url());
    } else {
      params.put("media_type", "IMAGE");
      params.put("image_url", media.url());
    }
    if (request.text() != null) params.put("text", request.text());
    Object topic = request.platformOptions() == null ? null : request.platformOptions().get("topic_tag");
    if (topic != null) params.put("topic_tag", topic.toString());
    return params;
  }

  @Override
  Map<String, String> carouselItem(MediaRef media) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("is_carousel_item", "true");
    params.put("media_type", media.isVideo() ? "VIDEO" : "IMAGE");
    params.put(media.isVideo() ? "video_url" : "image_url", media.url());
    return params;
  }

  @Override
  String baseUrl() {
    return baseUrl;
  }

  @Override
  Protocol protocol() {
    return new Protocol("/threads", "/threads_publish", "status", "text");
  }

  @Override
  Duration pollInterval() {
    return pollInterval;
  }

  @Override
  Duration pollTimeout() {
    return pollTimeout;
  }
}
