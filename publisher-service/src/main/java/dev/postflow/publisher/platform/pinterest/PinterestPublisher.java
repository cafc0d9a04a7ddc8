package dev.postflow.publisher.platform.pinterest;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.account.AccountCredentials;
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
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Pinterest API v5 (docs/platforms §10): {@code POST /v5/pins} with {@code media_source} image_url (Pinterest pulls the
 * signed link) or multiple_image_urls (carousel of 2–5); a video is registered with {@code POST /v5/media}, uploaded to
 * the returned upload_url with its upload_parameters, polled until succeeded, then pinned by video_id. Pinterest has no
 * idempotency: each pin carries a private {@code note} naming the target, so a lost answer is found on the board.
 */
@ApplicationScoped
public class PinterestPublisher implements PlatformPublisher {
  static final String PLATFORM = "pinterest";

  @Inject WebClient http;

  @ConfigProperty(name = "postflow.platforms.pinterest.base-url", defaultValue = "https://api.pinterest.com")
  String baseUrl;

  @ConfigProperty(name = "postflow.platforms.pinterest.poll-interval", defaultValue = "PT3S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.pinterest.poll-timeout", defaultValue = "PT10M")
  Duration pollTimeout;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("pinterest-publish")
  @Timeout(value = 12, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    List<MediaRef> media = request.mediaOrEmpty();
    Uni<Poll<JsonObject>> source;
    if (media.get(0).isVideo()) {
      source = uploadVideo(media.get(0), account).map(poll -> poll.failure() != null ? Poll.<JsonObject>failed(poll.failure())
          : Poll.done(new JsonObject().put("source_type", "video_id").put("media_id", poll.value()).put("cover_image_key_frame_time", 0)));
    } else if (media.size() == 1) {
      source = Uni.createFrom().item(Poll.done(new JsonObject().put("source_type", "image_url").put("url", media.get(0).url())));
    } else {
      JsonArray items = new JsonArray();
      media.forEach(m -> items.add(new JsonObject().put("url", m.url())));
      source = Uni.createFrom().item(Poll.done(new JsonObject().put("source_type", "multiple_image_urls").put("items", items)));
    }
    return source.chain(ready -> {
      if (ready.failure() != null) return Uni.createFrom().item(ready.failure());
      Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
      JsonObject pin = new JsonObject()
          .put("board_id", String.valueOf(options.get("board_id")))
          .put("description", request.text() == null ? "" : request.text())
          .put("note", note(request))
          .put("media_source", ready.value());
      if (options.get("board_section_id") != null) pin.put("board_section_id", String.valueOf(options.get("board_section_id")));
      if (options.get("title") != null) pin.put("title", options.get("title"));
      if (options.get("link") != null) pin.put("link", options.get("link"));
      if (media.get(0).altText() != null) pin.put("alt_text", media.get(0).altText());
      return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/v5/pins")
              .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(pin), PLATFORM)
          .map(response -> {
            if (response.statusCode() == 201 || response.statusCode() == 200) {
              String id = Http.json(response).getString("id");
              return ProviderOutcome.published(id, "https://www.pinterest.com/pin/" + id + "/", response.statusCode());
            }
            return failure(response);
          });
    });
  }

  /** The board's recent pins: ours carries the target's note. */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    Object board = request.platformOptions() == null ? null : request.platformOptions().get("board_id");
    return http.getAbs(baseUrl + "/v5/boards/" + board + "/pins").addQueryParam("page_size", "100")
        .putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            failure(response);
            throw new IllegalStateException("Pinterest answered " + response.statusCode() + " to the board lookup");
          }
          JsonArray pins = Http.json(response).getJsonArray("items", new JsonArray());
          for (int i = 0; i < pins.size(); i++) {
            JsonObject pin = pins.getJsonObject(i);
            if (note(request).equals(pin.getString("note"))) {
              String id = pin.getString("id");
              return Optional.of(ProviderOutcome.published(id, "https://www.pinterest.com/pin/" + id + "/", 200));
            }
          }
          return Optional.<ProviderOutcome>empty();
        });
  }

  private static String note(PublishRequest request) {
    return "postflow:" + request.targetId();
  }

  private Uni<Poll<String>> uploadVideo(MediaRef video, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/v5/media")
            .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(new JsonObject().put("media_type", "video")), PLATFORM)
        .chain(registered -> {
          if (registered.statusCode() / 100 != 2) return Uni.createFrom().item(Poll.<String>failed(failure(registered)));
          JsonObject body = Http.json(registered);
          String mediaId = body.getString("media_id");
          JsonObject parameters = body.getJsonObject("upload_parameters", new JsonObject());
          return Http.download(http, video, PLATFORM).chain(bytes -> {
            MultipartForm form = MultipartForm.create();
            parameters.forEach(entry -> form.attribute(entry.getKey(), String.valueOf(entry.getValue())));
            form.binaryFileUpload("file", video.id(), bytes, video.mimeType());
            return http.postAbs(body.getString("upload_url")).sendMultipartForm(form);
          }).chain(uploaded -> {
            if (uploaded.statusCode() / 100 != 2) {
              return Uni.createFrom().item(Poll.<String>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM,
                  String.valueOf(uploaded.statusCode()), "the video upload to Pinterest's storage failed"), uploaded.statusCode())));
            }
            return Polling.until(() -> http.getAbs(baseUrl + "/v5/media/" + mediaId)
                    .putHeader("Authorization", "Bearer " + account.accessToken()).send()
                    .map(status -> switch (Http.json(status).getString("status", "")) {
                      case "succeeded" -> Poll.done(mediaId);
                      case "failed" -> Poll.<String>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "failed",
                          "Pinterest could not process the video"), null));
                      default -> Poll.<String>processing();
                    }),
                pollInterval, pollTimeout, () -> Poll.failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "processing",
                    "Pinterest was still processing the video after " + pollTimeout.toMinutes() + " min"), null)));
          });
        });
  }

  /** Pinterest errors {"code": int, "message": "..."}. */
  /** {@code DELETE /v5/pins/{pin_id}} (204; 404 is gone already). */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.deleteAbs(baseUrl + "/v5/pins/" + request.platformPostId())
        .putHeader("Authorization", "Bearer " + account.accessToken()).send(), PLATFORM)
        .map(response -> Http.removed(response, PinterestPublisher::failure));
  }

  /** {@code PATCH /v5/pins/{id}} with the new {@code description} (the pin's text); answered 200 with the pin. */
  @Override
  public Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.patchAbs(baseUrl + "/v5/pins/" + request.platformPostId())
            .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(new JsonObject().put("description", request.text())), PLATFORM)
        .map(response -> Http.changed(response, PLATFORM, PinterestPublisher::failure));
  }

  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = Http.json(response);
    String code = String.valueOf(body.getValue("code", status));
    String message = body.getString("message", "Pinterest answered " + status);
    if (status == 429) {
      throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, code, message), status,
          Http.untilEpochSeconds(response.getHeader("x-ratelimit-reset")));
    }
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, code, message), status);
    if (status == 401) return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, code, message), status);
    if (status == 403) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, code, message), status);
    if (status == 404) {
      return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, message.contains("section") ? "board_section_not_found" : "board_not_found",
          code, message), status);
    }
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", code, message), status);
  }
}
