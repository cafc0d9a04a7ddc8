package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.FirstComments;
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
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Facebook Pages (docs/platforms §2) with the Page token: text and links through {@code POST /{page-id}/feed};
 * one photo through {@code POST /{page-id}/photos}; several photos staged with {@code published=false} and attached
 * to a feed post; a video through {@code POST /{page-id}/videos} with {@code file_url}. Facebook has no idempotency:
 * a lost answer or error 506 "Duplicate Post" is reconciled by reading the Page's feed since the first attempt.
 */
@ApplicationScoped
public class FacebookPublisher implements PlatformPublisher {
  static final String PLATFORM = "facebook";

  @Inject WebClient http;
  @Inject TargetHandles handles;
  @Inject FirstComments firstComments;

  @ConfigProperty(name = "postflow.platforms.facebook.base-url", defaultValue = "https://graph.facebook.com/v24.0")
  String baseUrl;

  @ConfigProperty(name = "postflow.platforms.facebook.rupload-url", defaultValue = "https://rupload.facebook.com/video-upload/v24.0")
  String ruploadUrl;

  /** Reels of at least this many bytes are sent by us to rupload.facebook.com rather than fetched by Meta from their link. */
  @ConfigProperty(name = "postflow.platforms.facebook.upload-videos-from", defaultValue = "50M")
  io.quarkus.runtime.configuration.MemorySize uploadVideosFrom;

  @ConfigProperty(name = "postflow.platforms.facebook.poll-interval", defaultValue = "PT5S")
  java.time.Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.facebook.poll-timeout", defaultValue = "PT5M")
  java.time.Duration pollTimeout;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("facebook-publish")
  @Timeout(value = 2, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return handles.getOrCreate(request.targetId(), "first_attempt_at", () -> Instant.now().minusSeconds(5).toString())
        .chain(() -> postOnce(request, account))
        .chain(post -> firstComments.add(PLATFORM, new MetaComments(http, baseUrl, PLATFORM, "message", account), request, post, false));
  }

  /**
   * With a first comment, the post's id is kept once it is out, so a retry after a refused comment adds the comment,
   * never a second post (a Page refuses a duplicate only of its latest post).
   */
  private Uni<ProviderOutcome> postOnce(PublishRequest request, AccountCredentials account) {
    if (FirstComments.of(request) == null) return post(request, account);
    return handles.all(request.targetId()).chain(kept -> kept.get("post_id") != null
        ? Uni.createFrom().item(ProviderOutcome.published(kept.get("post_id"), kept.get("post_url"), 200))
        : post(request, account).call(outcome -> !outcome.published() ? Uni.createFrom().voidItem()
            : handles.put(request.targetId(), "post_id", outcome.platformPostId())
                .chain(() -> outcome.permalink() == null ? Uni.createFrom().voidItem() : handles.put(request.targetId(), "post_url", outcome.permalink()))));
  }

  private Uni<ProviderOutcome> post(PublishRequest request, AccountCredentials account) {
    List<MediaRef> media = request.mediaOrEmpty();
    String page = account.externalId();
    String message = request.text() == null ? "" : request.text();
    return Uni.createFrom().voidItem().chain(ignored -> {
      if (media.isEmpty()) {
        MultipartForm form = MultipartForm.create().attribute("message", message);
        Object link = request.platformOptions() == null ? null : request.platformOptions().get("link");
        if (link != null) form.attribute("link", link.toString());
        return create(request, account, "/" + page + "/feed", form);
      }
      if (media.get(0).isVideo() && "REELS".equals(request.platformOptions() == null ? null : request.platformOptions().get("video_type"))) {
        return reel(request, account, page, media.get(0), message);
      }
      if (media.get(0).isVideo()) {
        return create(request, account, "/" + page + "/videos",
            MultipartForm.create().attribute("file_url", media.get(0).url()).attribute("description", message));
      }
      if (media.size() == 1) {
        return create(request, account, "/" + page + "/photos",
            MultipartForm.create().attribute("url", media.get(0).url()).attribute("caption", message));
      }
      return stagePhotos(account, page, media).chain(ids -> {
        if (ids.failure() != null) return Uni.createFrom().item(ids.failure());
        JsonArray attached = new JsonArray();
        ids.ids().forEach(id -> attached.add(new JsonObject().put("media_fbid", id)));
        return create(request, account, "/" + page + "/feed",
            MultipartForm.create().attribute("message", message).attribute("attached_media", attached.encode()));
      });
    });
  }

  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return handles.all(request.targetId()).chain(kept -> kept.get("post_id") != null
            ? Uni.createFrom().item(Optional.of(ProviderOutcome.published(kept.get("post_id"), kept.get("post_url"), 200)))
            : handles.get(request.targetId(), "reel_video_id").chain(video -> video == null ? findOwnPost(request, account)
                : reelStatus(video, account).map(status -> "complete".equals(status)
                    ? Optional.of(ProviderOutcome.published(video, "https://www.facebook.com/reel/" + video, 200)) : Optional.<ProviderOutcome>empty())))
        .chain(found -> found.isEmpty() ? Uni.createFrom().item(found)
            : firstComments.add(PLATFORM, new MetaComments(http, baseUrl, PLATFORM, "message", account), request, found.get(), true)
                .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty()));
  }

  /**
   * Reels Publishing API [FB6]: {@code upload_phase=start} (a video id, stored before anything is published), the
   * video handed to rupload.facebook.com (its hosted file with {@code file_url}; from {@code upload-videos-from} bytes
   * the bytes themselves, at offset 0), {@code upload_phase=finish} with {@code video_state=PUBLISHED}, then the
   * video's status until its publishing phase is complete. A retry that finds the stored video id asks its status
   * instead of starting another reel, and hands the video over again if its upload was not known to be complete
   * (nothing is published before the finish, so a second upload makes nothing twice).
   */
  private Uni<ProviderOutcome> reel(PublishRequest request, AccountCredentials account, String page, MediaRef video, String message) {
    return handles.get(request.targetId(), "reel_video_id").chain(existing -> {
      if (existing != null) {
        return reelStatus(existing, account).chain(status -> "complete".equals(status)
            ? Uni.createFrom().item(ProviderOutcome.published(existing, "https://www.facebook.com/reel/" + existing, 200))
            : handles.all(request.targetId()).chain(kept -> kept.get("reel_uploaded") != null ? finishReel(request, account, page, existing, message)
                : uploadReel(request, account, page, existing, kept.getOrDefault("reel_upload_url", ruploadUrl + "/" + existing), video, message)));
      }
      return call(account, "/" + page + "/video_reels", MultipartForm.create().attribute("upload_phase", "start")).chain(started -> {
        if (started.statusCode() != 200) return Uni.createFrom().item(MetaErrors.failure(PLATFORM, started));
        JsonObject body = Http.json(started);
        String videoId = body.getString("video_id");
        String uploadUrl = body.getString("upload_url", ruploadUrl + "/" + videoId);
        return handles.put(request.targetId(), "reel_video_id", videoId).chain(() -> handles.put(request.targetId(), "reel_upload_url", uploadUrl))
            .chain(() -> uploadReel(request, account, page, videoId, uploadUrl, video, message));
      });
    });
  }

  private Uni<ProviderOutcome> uploadReel(PublishRequest request, AccountCredentials account, String page, String videoId, String uploadUrl,
      MediaRef video, String message) {
    Uni<io.vertx.mutiny.ext.web.client.HttpResponse<io.vertx.mutiny.core.buffer.Buffer>> upload = video.sizeBytes() >= uploadVideosFrom.asLongValue()
        ? Http.download(http, video, PLATFORM).chain(bytes -> http.postAbs(uploadUrl).putHeader("Authorization", "OAuth " + account.accessToken())
            .putHeader("offset", "0").putHeader("file_size", String.valueOf(bytes.length())).sendBuffer(bytes))
        : http.postAbs(uploadUrl).putHeader("Authorization", "OAuth " + account.accessToken()).putHeader("file_url", video.url()).send();
    return Http.connectFailuresAreRetryable(upload, PLATFORM).chain(uploaded -> uploaded.statusCode() != 200
        ? Uni.createFrom().item(MetaErrors.uploadFailure(PLATFORM, uploaded))
        : handles.put(request.targetId(), "reel_uploaded", "true").chain(() -> finishReel(request, account, page, videoId, message)));
  }

  private Uni<ProviderOutcome> finishReel(PublishRequest request, AccountCredentials account, String page, String videoId, String message) {
    return call(account, "/" + page + "/video_reels", MultipartForm.create().attribute("upload_phase", "finish").attribute("video_id", videoId)
            .attribute("video_state", "PUBLISHED").attribute("description", message))
        .chain(finished -> {
          if (finished.statusCode() != 200) return Uni.createFrom().item(MetaErrors.failure(PLATFORM, finished));
          return Polling.until(() -> reelStatus(videoId, account).map(status -> switch (status) {
                case "complete" -> Poll.done(ProviderOutcome.published(videoId, "https://www.facebook.com/reel/" + videoId, 200));
                case "error" -> Poll.<ProviderOutcome>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "video_status:error",
                    "Facebook could not process the reel"), null));
                default -> Poll.<ProviderOutcome>processing();
              }), pollInterval, pollTimeout, () -> Poll.failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "processing",
                  "Facebook was still processing the reel after " + pollTimeout.toSeconds() + " s"), null)))
              .map(poll -> poll.failure() != null ? poll.failure() : poll.value());
        });
  }

  /** complete | error | processing, from the video's status (processing, then publishing phase). */
  private Uni<String> reelStatus(String videoId, AccountCredentials account) {
    return http.getAbs(baseUrl + "/" + videoId).addQueryParam("fields", "status")
        .putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            MetaErrors.failure(PLATFORM, response);
            return "processing";
          }
          JsonObject status = Http.json(response).getJsonObject("status", new JsonObject());
          if ("error".equals(status.getString("video_status"))) return "error";
          String phase = status.getJsonObject("publishing_phase", new JsonObject()).getString("status", "");
          return "complete".equals(phase) ? "complete" : "processing";
        });
  }

  private record Staged(List<String> ids, ProviderOutcome failure) {}

  /** Photos uploaded unpublished (nothing visible yet), to attach to one feed post. */
  private Uni<Staged> stagePhotos(AccountCredentials account, String page, List<MediaRef> media) {
    Uni<Staged> chain = Uni.createFrom().item(new Staged(new ArrayList<>(), null));
    for (MediaRef photo : media) {
      chain = chain.chain(sofar -> sofar.failure() != null ? Uni.createFrom().item(sofar)
          : call(account, "/" + page + "/photos", MultipartForm.create().attribute("url", photo.url()).attribute("published", "false"))
              .map(response -> {
                if (response.statusCode() != 200) return new Staged(sofar.ids(), MetaErrors.failure(PLATFORM, response));
                sofar.ids().add(Http.json(response).getString("id"));
                return sofar;
              }));
    }
    return chain;
  }

  private Uni<ProviderOutcome> create(PublishRequest request, AccountCredentials account, String path, MultipartForm form) {
    return call(account, path, form).chain(response -> {
      if (response.statusCode() == 200) {
        JsonObject body = Http.json(response);
        String id = body.getString("post_id", body.getString("id"));
        return Uni.createFrom().item(ProviderOutcome.published(id, "https://www.facebook.com/" + id, 200));
      }
      ProviderOutcome failed = MetaErrors.failure(PLATFORM, response);
      if ("duplicate_content".equals(failed.error().code())) {
        // 506: identical to the latest post. Ours from an earlier attempt? Look before reporting.
        return findOwnPost(request, account).map(found -> found.orElse(failed));
      }
      return Uni.createFrom().item(failed);
    });
  }

  /** {@code DELETE /{post-id}} (a reel: its video id); its comments, a first comment too, go with it. */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.deleteAbs(baseUrl + "/" + request.platformPostId())
        .putHeader("Authorization", "Bearer " + account.accessToken()).send(), PLATFORM).map(response -> MetaErrors.deleted(PLATFORM, response));
  }

  /** {@code POST /{post-id}} with the new {@code message} (Graph API: updating a Page post); answered {@code {"success": true}}. */
  @Override
  public Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    return call(account, "/" + request.platformPostId(), MultipartForm.create().attribute("message", request.text()))
        .map(response -> response.statusCode() == 200 ? ProviderOutcome.changed(200) : MetaErrors.failure(PLATFORM, response));
  }

  private Uni<HttpResponse<Buffer>> call(AccountCredentials account, String path, MultipartForm form) {
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + path)
        .putHeader("Authorization", "Bearer " + account.accessToken()).sendMultipartForm(form), PLATFORM);
  }

  /** The Page's posts since the target's first attempt with this message. */
  private Uni<Optional<ProviderOutcome>> findOwnPost(PublishRequest request, AccountCredentials account) {
    return handles.get(request.targetId(), "first_attempt_at").chain(since -> {
      var call = http.getAbs(baseUrl + "/" + account.externalId() + "/feed")
          .addQueryParam("fields", "id,message,created_time,permalink_url").addQueryParam("limit", "100")
          .putHeader("Authorization", "Bearer " + account.accessToken());
      if (since != null) call.addQueryParam("since", String.valueOf(Instant.parse(since).getEpochSecond()));
      return call.send().map(response -> {
        if (response.statusCode() != 200) {
          MetaErrors.failure(PLATFORM, response);
          throw new IllegalStateException("the Page feed answered " + response.statusCode());
        }
        String wanted = request.text() == null ? "" : request.text().strip();
        JsonArray posts = Http.json(response).getJsonArray("data", new JsonArray());
        for (int i = 0; i < posts.size(); i++) {
          JsonObject post = posts.getJsonObject(i);
          if (wanted.equals(post.getString("message", "").strip())) {
            String id = post.getString("id");
            return Optional.of(ProviderOutcome.published(id, post.getString("permalink_url", "https://www.facebook.com/" + id), 200));
          }
        }
        return Optional.<ProviderOutcome>empty();
      });
    });
  }
}
