package dev.postflow.publisher.platform.youtube;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.DefiniteFailure;
import dev.postflow.publisher.platform.FirstComments;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.PlatformPublisher;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * YouTube Data API v3 resumable upload (docs/platforms §9): {@code POST …/upload/youtube/v3/videos?uploadType=resumable}
 * with the snippet and status answers the session URI in {@code Location}; it is stored before any byte is sent. The
 * bytes go with {@code PUT}; 308 means more is wanted from the byte after {@code Range}. A retry or reconcile asks the
 * stored session ({@code Content-Range: bytes *}/total): a finished session answers the video, an unfinished one is
 * resumed, so a video is never uploaded twice. Then its custom thumbnail and its first comment, when asked for.
 */
@ApplicationScoped
public class YouTubePublisher implements PlatformPublisher {
  static final String PLATFORM = "youtube";

  @Inject WebClient http;
  @Inject TargetHandles handles;
  @Inject FirstComments firstComments;

  @ConfigProperty(name = "postflow.platforms.youtube.base-url", defaultValue = "https://www.googleapis.com")
  String baseUrl;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("youtube-publish")
  @Timeout(value = 30, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    MediaRef video = request.mediaOrEmpty().get(0);
    return handles.get(request.targetId(), "upload_session").chain(session -> session != null
        ? Http.download(http, video, PLATFORM).chain(bytes -> resume(session, bytes, video, account, request))
        : startSession(request, video, account).chain(started -> started.failure() != null ? Uni.createFrom().item(started.failure())
            : handles.put(request.targetId(), "upload_session", started.uri())
                .chain(() -> Http.download(http, video, PLATFORM))
                .chain(bytes -> send(started.uri(), bytes, 0, video, account))))
        .chain(post -> setThumbnail(request, account, post))
        .chain(post -> addCaptions(request, account, post))
        .chain(post -> firstComments.add(PLATFORM, comments(account), request, post, false));
  }

  /** The stored session says whether the video exists: 200/201 = uploaded, 308 = not complete (not published). */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return handles.get(request.targetId(), "upload_session").chain(session -> {
      if (session == null) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
      return http.putAbs(session).putHeader("Authorization", "Bearer " + account.accessToken())
          .putHeader("Content-Range", "bytes */" + request.mediaOrEmpty().get(0).sizeBytes()).send()
          .chain(response -> response.statusCode() != 200 && response.statusCode() != 201 ? Uni.createFrom().item(Optional.<ProviderOutcome>empty())
              : setThumbnail(request, account, published(Http.json(response))).chain(post -> addCaptions(request, account, post))
                  .chain(post -> !post.published()
                  ? Uni.createFrom().item(Optional.of(post))   // the thumbnail refused: a definite answer
                  : firstComments.add(PLATFORM, comments(account), request, post, true)
                      .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty())));
    });
  }

  /**
   * The custom thumbnail ({@code platform_options.youtube.thumbnail}, a media id): {@code thumbnails.set} with the
   * image's bytes (50 quota units) once the video is up. Setting it again only replaces it with the same image, so an
   * ambiguous answer is simply set again; once YouTube has answered 200 it is kept as done and a retry skips it. A
   * refused thumbnail fails the target saying the video is out: a retry sets the thumbnail, never uploads again.
   */
  private Uni<ProviderOutcome> setThumbnail(PublishRequest request, AccountCredentials account, ProviderOutcome video) {
    MediaRef image = request.mediaNamedBy(PlatformRules.THUMBNAIL);
    if (image == null || !video.published()) return Uni.createFrom().item(video);
    return handles.get(request.targetId(), "thumbnail_set").chain(done -> done != null ? Uni.createFrom().item(video)
        : Http.download(http, image, PLATFORM)
            .chain(bytes -> Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/upload/youtube/v3/thumbnails/set")
                .addQueryParam("videoId", video.platformPostId()).addQueryParam("uploadType", "media")
                .putHeader("Authorization", "Bearer " + account.accessToken()).putHeader("Content-Type", image.mimeType())
                .sendBuffer(bytes), PLATFORM))
            .chain(response -> response.statusCode() == 200 ? handles.put(request.targetId(), "thumbnail_set", image.id()).replaceWith(video)
                : Uni.createFrom().item(thumbnailRefused(video, failure(response)))));
  }

  /**
   * The video's caption tracks ({@code platform_options.youtube.captions}): each WebVTT file added with {@code
   * captions.insert} (multipart: the caption resource, then the file; 400 quota units) once the video is up. A track
   * added is kept by language, so a retry skips it; before adding one that is not kept, the video's tracks are read
   * ({@code captions.list}, 50 units) and a standard track in that language, sent by an attempt whose answer was
   * lost, is taken instead of adding a second. A refused track fails the target saying the video is out.
   */
  private Uni<ProviderOutcome> addCaptions(PublishRequest request, AccountCredentials account, ProviderOutcome video) {
    List<ContentCheck.Caption> captions = ContentCheck.captions(request.platformOptions());
    if (captions.isEmpty() || !video.published()) return Uni.createFrom().item(video);
    return handles.all(request.targetId()).chain(kept -> {
      List<ContentCheck.Caption> missing = captions.stream().filter(c -> !kept.containsKey("caption." + c.lang())).toList();
      if (missing.isEmpty()) return Uni.createFrom().item(video);
      return captionTracks(video.platformPostId(), account).chain(existing -> {
        Uni<ProviderOutcome> chain = Uni.createFrom().item(video);
        for (ContentCheck.Caption caption : missing) {
          chain = chain.chain(sofar -> !sofar.published() ? Uni.createFrom().item(sofar) : addCaption(request, account, sofar, caption, existing));
        }
        return chain;
      });
    });
  }

  private Uni<ProviderOutcome> addCaption(PublishRequest request, AccountCredentials account, ProviderOutcome video, ContentCheck.Caption caption,
      Map<String, String> existing) {
    String handle = "caption." + caption.lang();
    String found = existing.get(caption.lang().toLowerCase(java.util.Locale.ROOT));
    if (found != null) return handles.put(request.targetId(), handle, found).replaceWith(video);
    MediaRef file = request.optionMedia() == null ? null : request.optionMedia().get(caption.mediaId());
    if (file == null) return Uni.createFrom().item(video);
    String boundary = "postflow-" + java.util.UUID.randomUUID();
    JsonObject resource = new JsonObject().put("snippet", new JsonObject().put("videoId", video.platformPostId())
        .put("language", caption.lang()).put("name", "").put("isDraft", false));
    return Http.download(http, file, PLATFORM)
        .chain(bytes -> Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/upload/youtube/v3/captions")
            .addQueryParam("uploadType", "multipart").addQueryParam("part", "snippet")
            .putHeader("Authorization", "Bearer " + account.accessToken())
            .putHeader("Content-Type", "multipart/related; boundary=" + boundary)
            .sendBuffer(Buffer.buffer("--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + resource.encode()
                    + "\r\n--" + boundary + "\r\nContent-Type: " + PlatformRules.VTT + "\r\n\r\n")
                .appendBuffer(bytes).appendString("\r\n--" + boundary + "--\r\n")), PLATFORM))
        .chain(response -> {
          if (response.statusCode() == 200) return handles.put(request.targetId(), handle, Http.json(response).getString("id")).replaceWith(video);
          ProviderOutcome refused = failure(response);
          return Uni.createFrom().item(ProviderOutcome.partlyOut(video, refused, "the video is published, but its " + caption.lang()
              + " captions were refused (a retry adds the captions, not the video)", null));
        });
  }

  /** The video's standard (not speech-recognised) caption tracks: language (lower case) → track id. */
  private Uni<Map<String, String>> captionTracks(String videoId, AccountCredentials account) {
    return http.getAbs(baseUrl + "/youtube/v3/captions").addQueryParam("part", "snippet").addQueryParam("videoId", videoId)
        .putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            failure(response); // throws for quota and 5xx
            throw new IllegalStateException("captions.list answered " + response.statusCode());
          }
          Map<String, String> tracks = new java.util.HashMap<>();
          JsonArray items = Http.json(response).getJsonArray("items", new JsonArray());
          for (int i = 0; i < items.size(); i++) {
            JsonObject snippet = items.getJsonObject(i).getJsonObject("snippet", new JsonObject());
            if ("standard".equalsIgnoreCase(snippet.getString("trackKind", "standard"))) {
              tracks.put(snippet.getString("language", "").toLowerCase(java.util.Locale.ROOT), items.getJsonObject(i).getString("id"));
            }
          }
          return tracks;
        });
  }

  private static ProviderOutcome thumbnailRefused(ProviderOutcome video, ProviderOutcome failed) {
    String action = "forbidden".equals(failed.error().providerCode())
        ? "Custom thumbnails need a verified channel (youtube.com/verify) and the channel's permission to set them; then retry."
        : null;
    return ProviderOutcome.partlyOut(video, failed, "the video is published, but its thumbnail was refused (a retry sets the thumbnail, not the video)",
        action);
  }


  /**
   * A first comment is a comment thread on the video ({@code commentThreads.insert}, 50 quota units): its top-level
   * comment's {@code textOriginal}; read back with {@code commentThreads.list} by video.
   */
  private FirstComments.Api comments(AccountCredentials account) {
    return new FirstComments.Api() {
      @Override
      public Uni<String> send(String videoId, String text) {
        JsonObject thread = new JsonObject().put("snippet", new JsonObject().put("videoId", videoId)
            .put("topLevelComment", new JsonObject().put("snippet", new JsonObject().put("textOriginal", text))));
        return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/youtube/v3/commentThreads").addQueryParam("part", "snippet")
                .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(thread), PLATFORM)
            .map(response -> {
              if (response.statusCode() != 200) throw new DefiniteFailure(failure(response));
              return Http.json(response).getString("id");
            });
      }

      @Override
      public Uni<List<FirstComments.Comment>> list(String videoId) {
        return http.getAbs(baseUrl + "/youtube/v3/commentThreads").addQueryParam("part", "snippet").addQueryParam("videoId", videoId)
            .addQueryParam("maxResults", "100").putHeader("Authorization", "Bearer " + account.accessToken()).send()
            .map(response -> {
              if (response.statusCode() != 200) {
                failure(response); // throws for quota and 5xx
                throw new IllegalStateException("commentThreads.list answered " + response.statusCode());
              }
              List<FirstComments.Comment> comments = new java.util.ArrayList<>();
              JsonArray items = Http.json(response).getJsonArray("items", new JsonArray());
              for (int i = 0; i < items.size(); i++) {
                JsonObject top = items.getJsonObject(i).getJsonObject("snippet", new JsonObject()).getJsonObject("topLevelComment", new JsonObject())
                    .getJsonObject("snippet", new JsonObject());
                // only the channel's own: a viewer's comment with the same text is not ours
                String author = top.getJsonObject("authorChannelId", new JsonObject()).getString("value");
                if (author != null && !author.equals(account.externalId())) continue;
                comments.add(new FirstComments.Comment(items.getJsonObject(i).getString("id"), top.getString("textOriginal", top.getString("textDisplay"))));
              }
              return comments;
            });
      }
    };
  }

  /** {@code videos.delete} (204; 404 videoNotFound is gone already; 50 quota units). Captions and comments go with it. */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.deleteAbs(baseUrl + "/youtube/v3/videos").addQueryParam("id", request.platformPostId())
        .putHeader("Authorization", "Bearer " + account.accessToken()).send(), PLATFORM)
        .map(response -> Http.removed(response, YouTubePublisher::failure));
  }

  private record Started(String uri, ProviderOutcome failure) {}

  private Uni<Started> startSession(PublishRequest request, MediaRef video, AccountCredentials account) {
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    JsonObject snippet = new JsonObject().put("title", String.valueOf(options.get("title")))
        .put("description", request.text() == null ? "" : request.text());
    if (options.get("tags") instanceof java.util.List<?> tags) snippet.put("tags", new JsonArray(tags));
    if (options.get("category_id") != null) snippet.put("categoryId", String.valueOf(options.get("category_id")));
    JsonObject status = new JsonObject().put("privacyStatus", String.valueOf(options.getOrDefault("privacy", "private")))
        .put("selfDeclaredMadeForKids", Boolean.TRUE.equals(options.get("made_for_kids")));
    if (options.get("publish_at") != null) status.put("publishAt", String.valueOf(options.get("publish_at")));
    // YouTube's disclosure of realistic altered or synthetic content
    if (options.get("contains_synthetic_media") != null) status.put("containsSyntheticMedia", Boolean.TRUE.equals(options.get("contains_synthetic_media")));
    JsonObject resource = new JsonObject().put("snippet", snippet).put("status", status);
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/upload/youtube/v3/videos")
            .addQueryParam("uploadType", "resumable").addQueryParam("part", "snippet,status")
            .addQueryParam("notifySubscribers", String.valueOf(!Boolean.FALSE.equals(options.get("notify_subscribers"))))
            .putHeader("Authorization", "Bearer " + account.accessToken())
            .putHeader("X-Upload-Content-Length", String.valueOf(video.sizeBytes()))
            .putHeader("X-Upload-Content-Type", video.mimeType())
            .sendJsonObject(resource), PLATFORM)
        .map(response -> response.statusCode() == 200 && response.getHeader("Location") != null
            ? new Started(response.getHeader("Location"), null) : new Started(null, failure(response)));
  }

  /** Asks the session how far it got, then sends the rest (or reports the finished video). */
  private Uni<ProviderOutcome> resume(String session, Buffer bytes, MediaRef video, AccountCredentials account, PublishRequest request) {
    return http.putAbs(session).putHeader("Authorization", "Bearer " + account.accessToken())
        .putHeader("Content-Range", "bytes */" + bytes.length()).send()
        .chain(response -> {
          if (response.statusCode() == 200 || response.statusCode() == 201) return Uni.createFrom().item(published(Http.json(response)));
          if (response.statusCode() == 308) return send(session, bytes, nextByte(response), video, account);
          if (response.statusCode() == 404 || response.statusCode() == 410) {
            // The session is gone (sessions last about a week): nothing was published with it; start a new one.
            return handles.put(request.targetId(), "upload_session_expired", session)
                .chain(() -> startSession(request, video, account))
                .chain(started -> started.failure() != null ? Uni.createFrom().item(started.failure())
                    : handles.put(request.targetId(), "upload_session", started.uri()).chain(() -> send(started.uri(), bytes, 0, video, account)));
          }
          return Uni.createFrom().item(failure(response));
        });
  }

  private Uni<ProviderOutcome> send(String session, Buffer bytes, long from, MediaRef video, AccountCredentials account) {
    Buffer rest = bytes.getBuffer((int) from, bytes.length());
    var put = http.putAbs(session).putHeader("Authorization", "Bearer " + account.accessToken()).putHeader("Content-Type", video.mimeType());
    if (from > 0) put.putHeader("Content-Range", "bytes " + from + "-" + (bytes.length() - 1) + "/" + bytes.length());
    return Http.connectFailuresAreRetryable(put.sendBuffer(rest), PLATFORM).chain(response -> {
      if (response.statusCode() == 200 || response.statusCode() == 201) return Uni.createFrom().item(published(Http.json(response)));
      if (response.statusCode() == 308) return send(session, bytes, nextByte(response), video, account);
      if (response.statusCode() >= 500) {
        throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, String.valueOf(response.statusCode()),
            "the upload was interrupted; it resumes from the stored session"), response.statusCode());
      }
      return Uni.createFrom().item(failure(response));
    });
  }

  private static long nextByte(HttpResponse<Buffer> response) {
    String range = response.getHeader("Range");
    if (range == null) return 0;
    return Long.parseLong(range.substring(range.indexOf('-') + 1).trim()) + 1;
  }

  private static ProviderOutcome published(JsonObject video) {
    String id = video.getString("id");
    return ProviderOutcome.published(id, "https://www.youtube.com/watch?v=" + id, 200);
  }

  /** Google errors {"error":{"code","message","errors":[{"domain","reason"}]}}. */
  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject error = Http.json(response).getJsonObject("error", new JsonObject());
    JsonArray errors = error.getJsonArray("errors", new JsonArray());
    String reason = errors.isEmpty() ? String.valueOf(status) : errors.getJsonObject(0).getString("reason", String.valueOf(status));
    String message = error.getString("message", "YouTube answered " + status);
    if (reason.equals("quotaExceeded") || reason.equals("uploadLimitExceeded")) {
      return ProviderOutcome.failed(ProviderErrors.quotaExhausted(PLATFORM, reason, message), status);
    }
    if (status == 429 || reason.equals("rateLimitExceeded") || reason.equals("userRateLimitExceeded")) {
      throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, reason, message), status, null);
    }
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, reason, message), status);
    if (status == 401) return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, reason, message), status);
    if (status == 403) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, reason, message), status);
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", reason, message), status);
  }
}
