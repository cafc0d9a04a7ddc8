package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.FirstComments;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Instagram content publishing (docs/platforms §1): {@code POST /{ig-user-id}/media} (image_url, REELS video_url,
 * STORIES, carousel children), {@code status_code} until FINISHED, {@code POST /{ig-user-id}/media_publish}.
 * The account's external_id is the Instagram professional account id; the base URL picks the flavour
 * (graph.facebook.com with a Page token, or graph.instagram.com with an Instagram User token).
 */
@ApplicationScoped
public class InstagramPublisher extends ContainerPublisher {
  @ConfigProperty(name = "postflow.platforms.instagram.base-url", defaultValue = "https://graph.facebook.com/v24.0")
  String baseUrl;

  @Inject FirstComments firstComments;

  /** Meta recommends polling about once a minute for at most 5 minutes; we ask more often. */
  @ConfigProperty(name = "postflow.platforms.instagram.poll-interval", defaultValue = "PT10S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.instagram.poll-timeout", defaultValue = "PT5M")
  Duration pollTimeout;

  @Override
  public String platform() {
    return "instagram";
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("instagram-publish")
  @Timeout(value = 8, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return publishWithContainer(request, account).chain(post -> firstComments.add(platform(), new MetaComments(http, baseUrl, platform(), "text", account), request, post, false));
  }

  /** Found when the container is PUBLISHED and, with a first comment, the comment is out. */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return lookupContainer(request, account).chain(found -> found.isEmpty() ? Uni.createFrom().item(found)
        : firstComments.add(platform(), new MetaComments(http, baseUrl, platform(), "text", account), request, found.get(), true)
            .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty()));
  }

  /**
   * A publish answer was lost but the container is PUBLISHED: the account's newest media ({@code GET /{ig-user-id}/media})
   * with the same caption names it.
   */
  @Override
  Uni<String> findPublishedId(AccountCredentials account, String text, String replyTo) {
    return findOwn(account, "/media", "id,caption,timestamp", item -> item.getString("caption", "").equals(text == null ? "" : text));
  }

  @Override
  Map<String, String> single(PublishRequest request, MediaRef media) {
    Map<String, String> params = new LinkedHashMap<>();
    Object kind = request.platformOptions() == null ? null : request.platformOptions().get("media_type");
    if ("STORIES".equals(kind)) {
      params.put("media_type", "STORIES");
      params.put(media.isVideo() ? "video_url" : "image_url", media.url());
      putUserTags(params, request, null);
      return params;
    }
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    if (media.isVideo()) {
      params.put("media_type", "REELS");
      params.put("video_url", media.url());
      if (options.get("share_to_feed") != null) params.put("share_to_feed", String.valueOf(Boolean.TRUE.equals(options.get("share_to_feed"))));
      if (options.get("thumb_offset") instanceof Number offset) params.put("thumb_offset", String.valueOf(offset.longValue()));
      MediaRef cover = request.mediaNamedBy(PlatformRules.COVER);
      if (cover != null) params.put("cover_url", cover.url());
    } else {
      params.put("image_url", media.url());
      if (media.altText() != null) params.put("alt_text", media.altText());
    }
    putUserTags(params, request, null);
    if (request.text() != null) params.put("caption", request.text());
    params.putAll(postExtras(request));
    return params;
  }

  /** Collaborators (feed images, reels, carousels): Graph API array parameters are JSON. */
  @Override
  Map<String, String> postExtras(PublishRequest request) {
    List<String> names = ContentCheck.collaborators(request.platformOptions() == null ? null : request.platformOptions().get("collaborators"));
    return names.isEmpty() ? Map.of() : Map.of("collaborators", new io.vertx.core.json.JsonArray(names).encode());
  }

  /**
   * {@code user_tags} as Graph API takes them, a JSON array of {username, x, y} (a reel's without a position): the tags
   * of the post's media, or on a carousel those naming item {@code mediaIndex}.
   */
  private static void putUserTags(Map<String, String> params, PublishRequest request, Integer mediaIndex) {
    Object tags = request.platformOptions() == null ? null : request.platformOptions().get("user_tags");
    if (!(tags instanceof List<?> list)) return;
    io.vertx.core.json.JsonArray sent = new io.vertx.core.json.JsonArray();
    for (Object tag : list) {
      Map<?, ?> one = (Map<?, ?>) tag;
      if (mediaIndex != null && !(one.get("media_index") instanceof Number n && n.intValue() == mediaIndex)) continue;
      io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject().put("username", String.valueOf(one.get("username")).replaceFirst("^@", ""));
      if (one.get("x") instanceof Number x && one.get("y") instanceof Number y) json.put("x", x.doubleValue()).put("y", y.doubleValue());
      sent.add(json);
    }
    if (!sent.isEmpty()) params.put("user_tags", sent.encode());
  }

  /** A carousel's image carries the tags that name it ({@code media_index}). */
  @Override
  Map<String, String> carouselItemExtras(PublishRequest request, int index) {
    Map<String, String> params = new LinkedHashMap<>();
    putUserTags(params, request, index);
    return params;
  }

  @Override
  Map<String, String> carouselItem(MediaRef media) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("is_carousel_item", "true");
    if (media.isVideo()) {
      params.put("media_type", "VIDEO");
      params.put("video_url", media.url());
    } else {
      params.put("image_url", media.url());
    }
    return params;
  }

  @Override
  String baseUrl() {
    return baseUrl;
  }

  @Override
  Protocol protocol() {
    return new Protocol("/media", "/media_publish", "status_code", "caption");
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
