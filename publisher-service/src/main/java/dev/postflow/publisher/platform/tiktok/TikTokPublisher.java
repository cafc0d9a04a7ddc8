package dev.postflow.publisher.platform.tiktok;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.TargetError;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.Polling;
import dev.postflow.publisher.platform.Polling.Poll;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * TikTok Content Posting API (docs/platforms §8).
 * <ul>
 *   <li>Direct Post: {@code creator_info/query} first (the privacy level must be one the creator offers, the video no
 *   longer than the creator's maximum), then {@code video/init} or {@code content/init} (photos), then {@code
 *   status/fetch} until PUBLISH_COMPLETE.</li>
 *   <li>{@code post_mode} MEDIA_UPLOAD: to the creator's inbox instead ({@code inbox/video/init}, or {@code content/init}
 *   with that mode for photos; no creator_info, no privacy level), done at SEND_TO_USER_INBOX. The creator finishes
 *   the post in the app, so there is no permalink.</li>
 *   <li>Media: {@code PULL_FROM_URL} (TikTok pulls the signed link; its domain must be verified in the developer
 *   portal) or, for videos, {@code FILE_UPLOAD} in chunks (postflow.platforms.tiktok.video-source).</li>
 *   <li>The publish_id is stored as soon as init answers: init is never called twice for a target whose init
 *   succeeded; a retry or reconcile asks the status.</li>
 * </ul>
 */
@ApplicationScoped
public class TikTokPublisher implements PlatformPublisher {
  static final String PLATFORM = "tiktok";
  private static final Set<String> RETRYABLE_FAILURES = Set.of("internal", "video_pull_failed", "photo_pull_failed");

  @Inject WebClient http;
  @Inject TargetHandles handles;

  @ConfigProperty(name = "postflow.platforms.tiktok.base-url", defaultValue = "https://open.tiktokapis.com")
  String baseUrl;

  @ConfigProperty(name = "postflow.platforms.tiktok.poll-interval", defaultValue = "PT5S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.tiktok.poll-timeout", defaultValue = "PT10M")
  Duration pollTimeout;

  /**
   * How videos reach TikTok: PULL_FROM_URL (TikTok pulls the signed link; its domain must be verified in the developer
   * portal) or FILE_UPLOAD (the publisher sends the bytes in chunks; nothing to verify). Photos are always pulled.
   */
  @ConfigProperty(name = "postflow.platforms.tiktok.video-source", defaultValue = "PULL_FROM_URL")
  String videoSource;

  /** FILE_UPLOAD: a video up to 64 MB goes whole, a larger one in chunks of this size (TikTok takes 5 to 64 MB). */
  @ConfigProperty(name = "postflow.platforms.tiktok.chunk-bytes", defaultValue = "10485760")
  long chunkBytes;

  static final long WHOLE_UP_TO = 64L * 1024 * 1024;

  /** Still processing when the poll ended: the outcome is reconciled later, never re-initialised. */
  static final class StillProcessing extends RuntimeException {
    StillProcessing(String publishId) {
      super("TikTok is still processing " + publishId, null, false, false);
    }
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = {RateLimitedException.class, StillProcessing.class})
  @CircuitBreakerName("tiktok-publish")
  @Timeout(value = 12, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return handles.all(request.targetId()).chain(stored -> {
      String existing = stored.get("publish_id");
      // A file upload whose last chunk was never sent cannot become a post: TikTok has not got the whole video.
      if (existing == null || UPLOAD_PENDING.equals(stored.get("upload"))) return initAndWait(request, account);
      return awaitStatus(existing, account, true).chain(outcome -> outcome != null ? Uni.createFrom().item(outcome)
          : initAndWait(request, account));
    });
  }

  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return handles.all(request.targetId()).chain(stored -> {
      String id = stored.get("publish_id");
      if (id == null) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
      if (UPLOAD_PENDING.equals(stored.get("upload"))) {
        // Known, not guessed: the last chunk was never sent, so nothing can be published; a new upload is safe.
        return Uni.createFrom().item(Optional.of(ProviderOutcome.failed(ProviderErrors.providerError(PLATFORM, "upload_incomplete",
            "the upload to TikTok stopped before its last chunk; nothing was published"), null)));
      }
      return fetchStatus(id, account).map(poll -> poll.done() && poll.failure() == null ? Optional.of(poll.value()) : Optional.<ProviderOutcome>empty());
    });
  }

  /** The "upload" handle: "pending" until the last chunk is about to be sent, then "final_sent". */
  static final String UPLOAD_PENDING = "pending";
  static final String UPLOAD_FINAL_SENT = "final_sent";

  private Uni<ProviderOutcome> initAndWait(PublishRequest request, AccountCredentials account) {
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    if (PlatformRules.TIKTOK_MEDIA_UPLOAD.equals(options.get("post_mode"))) {
      // To the creator's inbox: no creator_info (that is Direct Post's), no privacy level; the creator finishes the post.
      return send(request, account, true, new JsonObject().put("title", "").put("description", text(request)));
    }
    return creatorInfo(account).chain(creator -> {
      if (creator.failure() != null) return Uni.createFrom().item(creator.failure());
      String privacy = String.valueOf(options.get("privacy_level"));
      JsonArray allowed = creator.value().getJsonArray("privacy_level_options", new JsonArray());
      if (!allowed.contains(privacy)) {
        return Uni.createFrom().item(ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "privacy_level_option_mismatch", "privacy_level_option_mismatch",
            "this creator offers " + allowed.encode() + ", not " + privacy), null));
      }
      MediaRef first = request.mediaOrEmpty().get(0);
      Integer maxSeconds = creator.value().getInteger("max_video_post_duration_sec");
      if (first.isVideo() && maxSeconds != null && first.durationMs() != null && first.durationMs() > maxSeconds * 1000L) {
        return Uni.createFrom().item(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "duration_check_failed",
            "this creator may post videos up to " + maxSeconds + " s"), null));
      }
      // what the creator has switched off in the app stays off, whatever the post asks [TT1]
      JsonObject postInfo = new JsonObject().put("title", text(request)).put("privacy_level", privacy)
          .put("disable_comment", Boolean.TRUE.equals(options.get("disable_comment")) || creator.value().getBoolean("comment_disabled", false))
          .put("disable_duet", Boolean.TRUE.equals(options.get("disable_duet")) || creator.value().getBoolean("duet_disabled", false))
          .put("disable_stitch", Boolean.TRUE.equals(options.get("disable_stitch")) || creator.value().getBoolean("stitch_disabled", false))
          // disclosures: a paid partnership, the creator's own brand, AI-generated content
          .put("brand_content_toggle", Boolean.TRUE.equals(options.get("brand_content_toggle")))
          .put("brand_organic_toggle", Boolean.TRUE.equals(options.get("brand_organic_toggle")))
          .put("is_aigc", Boolean.TRUE.equals(options.get("is_aigc")));
      return send(request, account, false, postInfo);
    });
  }

  private static String text(PublishRequest request) {
    return request.text() == null ? "" : request.text();
  }

  /**
   * Initialises the post and waits for its status. A direct post's video carries {@code post_info} (the caption is its
   * title); an inbox video has none (TikTok's {@code inbox/video/init} takes the source only: the creator writes the
   * caption in the app). Photos go through {@code content/init} with their {@code post_mode} and the text as description.
   */
  private Uni<ProviderOutcome> send(PublishRequest request, AccountCredentials account, boolean inbox, JsonObject postInfo) {
    List<MediaRef> media = request.mediaOrEmpty();
    String videoInit = inbox ? "/v2/post/publish/inbox/video/init/" : "/v2/post/publish/video/init/";
    if (media.get(0).isVideo() && "FILE_UPLOAD".equals(videoSource)) {
      return fileUpload(request, account, media.get(0), videoInit, inbox ? null : postInfo);
    }
    String path;
    JsonObject body;
    if (media.get(0).isVideo()) {
      path = videoInit;
      body = new JsonObject().put("source_info", new JsonObject().put("source", "PULL_FROM_URL").put("video_url", media.get(0).url()));
      if (!inbox) body.put("post_info", postInfo);
    } else {
      path = "/v2/post/publish/content/init/";
      JsonArray urls = new JsonArray();
      media.forEach(m -> urls.add(m.url()));
      body = new JsonObject().put("post_info", postInfo.put("description", text(request)).put("title", ""))
          .put("source_info", new JsonObject().put("source", "PULL_FROM_URL").put("photo_images", urls).put("photo_cover_index", 0))
          .put("post_mode", inbox ? PlatformRules.TIKTOK_MEDIA_UPLOAD : PlatformRules.TIKTOK_DIRECT_POST).put("media_type", "PHOTO");
    }
    return init(path, body, account).chain(response -> {
      ProviderOutcome failed = check(response);
      if (failed != null) return Uni.createFrom().item(failed);
      String publishId = Http.json(response).getJsonObject("data", new JsonObject()).getString("publish_id");
      return handles.put(request.targetId(), "publish_id", publishId).chain(() -> awaitStatus(publishId, account, false));
    });
  }

  /**
   * FILE_UPLOAD: the video's bytes are read first (nothing is initialised for a video we cannot read), then init
   * announces its size and chunks, the publish_id is stored with the upload "pending", and the chunks go to the
   * upload_url in order ({@code Content-Range}; 206 until the last, 201 for it). "final_sent" is stored before the last
   * chunk leaves: until then a retry initialises anew (the old upload can never become a post); from then on the
   * publish_id's status decides, as for a pulled video.
   */
  private Uni<ProviderOutcome> fileUpload(PublishRequest request, AccountCredentials account, MediaRef video, String path, JsonObject postInfo) {
    return Http.download(http, video, PLATFORM).chain(bytes -> {
      long size = bytes.length();
      long chunk = size <= WHOLE_UP_TO ? size : chunkBytes;
      long count = size <= WHOLE_UP_TO ? 1 : size / chunk;   // TikTok: total_chunk_count = floor(video_size / chunk_size)
      JsonObject body = new JsonObject().put("source_info", new JsonObject().put("source", "FILE_UPLOAD")
          .put("video_size", size).put("chunk_size", chunk).put("total_chunk_count", count));
      if (postInfo != null) body.put("post_info", postInfo);
      return init(path, body, account).chain(response -> {
        ProviderOutcome failed = check(response);
        if (failed != null) return Uni.createFrom().item(failed);
        JsonObject data = Http.json(response).getJsonObject("data", new JsonObject());
        String publishId = data.getString("publish_id");
        String uploadUrl = data.getString("upload_url");
        return handles.put(request.targetId(), "upload", UPLOAD_PENDING)
            .chain(() -> handles.put(request.targetId(), "publish_id", publishId))
            .chain(() -> sendChunks(request, uploadUrl, bytes, chunk, count, video.mimeType()))
            .chain(uploaded -> uploaded != null ? Uni.createFrom().item(uploaded) : awaitStatus(publishId, account, false));
      });
    });
  }

  /** {@code video/init} or {@code content/init}: nothing is published yet, so failing to connect may be retried. */
  private Uni<HttpResponse<Buffer>> init(String path, JsonObject body, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + path).putHeader("Authorization", "Bearer " + account.accessToken())
        .putHeader("Content-Type", "application/json; charset=UTF-8").sendJsonObject(body), PLATFORM);
  }

  /** Sends the chunks in order; null when TikTok has the whole video, else the failure that ended it. */
  private Uni<ProviderOutcome> sendChunks(PublishRequest request, String uploadUrl, Buffer bytes, long chunk, long count, String type) {
    Uni<ProviderOutcome> chain = Uni.createFrom().nullItem();
    long size = bytes.length();
    for (long index = 0; index < count; index++) {
      long from = index * chunk;
      long to = index == count - 1 ? size - 1 : from + chunk - 1;   // the last chunk takes the rest
      boolean last = index == count - 1;
      chain = chain.chain(previous -> {
        if (previous != null) return Uni.createFrom().item(previous);
        Uni<Void> before = last ? handles.put(request.targetId(), "upload", UPLOAD_FINAL_SENT) : Uni.createFrom().voidItem();
        return before.chain(() -> http.putAbs(uploadUrl).timeout(Duration.ofMinutes(2).toMillis())
                .putHeader("Content-Type", type).putHeader("Content-Range", "bytes " + from + "-" + to + "/" + size)
                .sendBuffer(bytes.getBuffer((int) from, (int) to + 1)))
            .onFailure().transform(e -> last ? e   // the last chunk's answer lost: ambiguous, the status will tell
                : new RetryableProviderException(ProviderErrors.network(PLATFORM, "chunk " + from + "-" + to + ": " + e.getMessage()), null))
            .map(response -> {
              int status = response.statusCode();
              if (status == (last ? 201 : 206) || last && status == 200) return null;
              if (status >= 500 && !last) {
                throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, String.valueOf(status), "TikTok answered " + status
                    + " to chunk " + from + "-" + to), status);
              }
              return ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, String.valueOf(status),
                  "TikTok refused chunk " + from + "-" + to + " of " + size + " bytes (" + status + ")"), status);
            });
      });
    }
    return chain;
  }

  /** null when the earlier publish failed in a way that allows a new init (internal, pull failed). */
  private Uni<ProviderOutcome> awaitStatus(String publishId, AccountCredentials account, boolean nullIfRetryable) {
    return Polling.until(() -> fetchStatus(publishId, account), pollInterval, pollTimeout, () -> Poll.<ProviderOutcome>processing())
        .map(poll -> {
          if (!poll.done()) throw new StillProcessing(publishId);
          if (poll.failure() == null) return poll.value();
          boolean retryable = RETRYABLE_FAILURES.contains(poll.failure().error().providerCode());
          if (retryable && nullIfRetryable) return null;
          if (retryable) {
            // TikTok allows a new init after these (internal, pull failed): the next attempt finds this publish_id FAILED.
            throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, poll.failure().error().providerCode(),
                poll.failure().error().message()), null);
          }
          return poll.failure();
        });
  }

  private Uni<Poll<ProviderOutcome>> fetchStatus(String publishId, AccountCredentials account) {
    return http.postAbs(baseUrl + "/v2/post/publish/status/fetch/").putHeader("Authorization", "Bearer " + account.accessToken())
        .sendJsonObject(new JsonObject().put("publish_id", publishId))
        .map(response -> {
          ProviderOutcome failed = check(response);
          if (failed != null) return Poll.failed(failed);
          JsonObject data = Http.json(response).getJsonObject("data", new JsonObject());
          return switch (data.getString("status", "")) {
            case "PUBLISH_COMPLETE", "SEND_TO_USER_INBOX" -> {
              JsonArray ids = data.getJsonArray("publicaly_available_post_id", new JsonArray());
              String id = ids.isEmpty() ? publishId : String.valueOf(ids.getValue(0));
              yield Poll.done(ProviderOutcome.published(id, ids.isEmpty() ? null : "https://www.tiktok.com/@" + username(account) + "/video/" + id, 200));
            }
            case "FAILED" -> {
              String reason = data.getString("fail_reason", "unknown");
              yield Poll.failed(ProviderOutcome.failed(reason.startsWith("spam_risk") || reason.equals("auth_removed")
                  ? ProviderErrors.permission(PLATFORM, reason, "TikTok refused the post: " + reason)
                  : ProviderErrors.mediaRejected(PLATFORM, reason, "TikTok could not publish: " + reason), null));
            }
            default -> Poll.processing();
          };
        });
  }

  private record Creator(JsonObject value, ProviderOutcome failure) {}

  /** The permalink names the username: the account's handle (an OAuth connect stores open_id as external_id), else its external id. */
  private static String username(AccountCredentials account) {
    return account.handle() == null || account.handle().isBlank() ? account.externalId() : account.handle().replaceFirst("^@", "");
  }

  private Uni<Creator> creatorInfo(AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/v2/post/publish/creator_info/query/")
            .putHeader("Authorization", "Bearer " + account.accessToken()).send(), PLATFORM)
        .map(response -> {
          ProviderOutcome failed = check(response);
          return failed != null ? new Creator(null, failed) : new Creator(Http.json(response).getJsonObject("data", new JsonObject()), null);
        });
  }

  /** Every TikTok answer has {"error":{"code","message","log_id"}}; anything but "ok" is a failure (even with 200). */
  private static ProviderOutcome check(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject error = Http.json(response).getJsonObject("error", new JsonObject());
    String code = error.getString("code", status == 200 ? "ok" : String.valueOf(status));
    if ("ok".equals(code) && status / 100 == 2) return null;
    String message = error.getString("message", "TikTok answered " + status) + " (log_id " + error.getString("log_id", "-") + ")";
    if (status == 429 || code.equals("rate_limit_exceeded")) {
      throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, code, message), status, Duration.ofMinutes(1));
    }
    if (status >= 500 || code.equals("internal_error")) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, code, message), status);
    if (code.equals("access_token_invalid") || status == 401 && !code.equals("scope_not_authorized")) {
      return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, code, message), status);
    }
    if (code.equals("spam_risk_too_many_pending_share")) {
      return ProviderOutcome.failed(new TargetError("quota_exhausted", "rate_limit", message, false, code, "The creator has "
          + "too many uploads waiting in their TikTok inbox (at most 5 in 24 hours): they post or delete one in the app, then retry."), status);
    }
    if (code.equals("spam_risk_too_many_posts") || code.equals("reached_active_user_cap")) {
      return ProviderOutcome.failed(ProviderErrors.quotaExhausted(PLATFORM, code, message), status);
    }
    if (status == 403 || code.equals("scope_not_authorized")) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, code, message), status);
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, code, code, message), status);
  }
}
