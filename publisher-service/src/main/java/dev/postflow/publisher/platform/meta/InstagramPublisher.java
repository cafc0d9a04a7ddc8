package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.DefiniteFailure;
import dev.postflow.publisher.platform.FirstComments;
import dev.postflow.publisher.platform.Http;
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
 *
 * <p>Meta fetches images and small videos from their signed links. A video of at least {@code upload-videos-from} bytes
 * is sent by us instead, with Instagram's resumable upload [IG1][IG2]: a container made with {@code upload_type=resumable},
 * then the whole file to rupload.facebook.com; Meta's fetch of a large file can time out (2207003) and needs the link to
 * be reachable from Meta. The container's id is kept only once its bytes are in, so an upload cut short is made again
 * in a new container on the retry (the old one is never published and expires in 24 h).
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

  /** Videos of at least this many bytes are uploaded by us (resumable upload) rather than fetched by Meta. */
  @ConfigProperty(name = "postflow.platforms.instagram.upload-videos-from", defaultValue = "50M")
  io.quarkus.runtime.configuration.MemorySize uploadVideosFrom;

  /** Where a resumable container's bytes go when its create answer names no {@code uri}. */
  @ConfigProperty(name = "postflow.platforms.instagram.rupload-url", defaultValue = "https://rupload.facebook.com/ig-api-upload/v24.0")
  String ruploadUrl;

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
      if (media.isVideo()) putUploadType(params, media);
      putUserTags(params, request, null);
      return params;
    }
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    if (media.isVideo()) {
      params.put("media_type", "REELS");
      params.put("video_url", media.url());
      putUploadType(params, media);
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
      putUploadType(params, media);
    } else {
      params.put("image_url", media.url());
    }
    return params;
  }

  /** A video this large goes by resumable upload: {@code upload_type=resumable}, its {@code video_url} then read by us. */
  private void putUploadType(Map<String, String> params, MediaRef video) {
    if (video.sizeBytes() >= uploadVideosFrom.asLongValue()) params.put("upload_type", "resumable");
  }

  /**
   * A resumable container is created without {@code video_url}, then its bytes, read from that link, are sent to
   * rupload.facebook.com in one request (offset 0, {@code Authorization: OAuth <token>}). Only then is its id returned
   * (and kept by the caller).
   */
  @Override
  Uni<String> create(AccountCredentials account, Map<String, String> params) {
    if (!"resumable".equals(params.get("upload_type"))) return super.create(account, params);
    Map<String, String> sent = new LinkedHashMap<>(params);
    String videoUrl = sent.remove("video_url");
    return createContainer(account, sent).chain(answer -> Http.download(http, videoUrl, "the video", platform())
        .chain(bytes -> upload(answer.getString("uri", ruploadUrl + "/" + answer.getString("id")), bytes, account))
        .replaceWith(answer.getString("id")));
  }

  private Uni<Void> upload(String uri, io.vertx.mutiny.core.buffer.Buffer bytes, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.postAbs(uri).putHeader("Authorization", "OAuth " + account.accessToken())
            .putHeader("offset", "0").putHeader("file_size", String.valueOf(bytes.length())).sendBuffer(bytes), platform())
        .map(response -> {
          if (response.statusCode() != 200) throw new DefiniteFailure(MetaErrors.uploadFailure(platform(), response));
          return null;
        });
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
