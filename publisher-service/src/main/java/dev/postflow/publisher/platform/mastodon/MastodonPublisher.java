package dev.postflow.publisher.platform.mastodon;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.platform.ContentCheck;
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
import dev.postflow.publisher.platform.ThreadReplies;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Mastodon (docs/platforms §7), on the account's own instance: media via {@code POST /api/v2/media} (202 = still
 * processing, polled with {@code GET /api/v1/media/:id} until 200), then {@code POST /api/v1/statuses} with an
 * {@code Idempotency-Key} fixed per target, so a repeated call returns the first status instead of a second one.
 */
@ApplicationScoped
public class MastodonPublisher implements PlatformPublisher {
  static final String PLATFORM = "mastodon";
  /** How long Mastodon keeps an Idempotency-Key [MA1]; after that a repeat could post again. */
  static final Duration KEY_KEPT = Duration.ofMinutes(55);

  @Inject WebClient http;
  @Inject Vertx vertx;
  @Inject AddressPolicy addressPolicy;
  @Inject TargetHandles handles;

  @ConfigProperty(name = "postflow.platforms.mastodon.poll-interval", defaultValue = "PT2S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.mastodon.poll-timeout", defaultValue = "PT3M")
  Duration pollTimeout;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("mastodon-publish")
  @Timeout(value = 5, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return Http.safeServer(vertx, addressPolicy, (String) account.platformFields().get("instance_url"), PLATFORM)
        .chain(base -> threadStart(request).chain(earlier -> {
          if (earlier != null) return replies(base, request, account, earlier, false); // a retry of a thread whose post is out
          return uploadAll(base, request.mediaOrEmpty(), account).chain(uploaded -> {
            if (uploaded.failure() != null) return Uni.createFrom().item(uploaded.failure());
            return handles.getOrCreate(request.targetId(), "idempotency_key", () -> "postflow-" + request.targetId())
                .chain(key -> createStatus(base, request, account, uploaded.value(), key))
                .chain(outcome -> replies(base, request, account, outcome, false));
          });
        }));
  }

  /**
   * Mastodon's own answer to "did it land?": the same Idempotency-Key within its hour returns the first status (and,
   * for a thread, each reply's key its reply, making any that never landed).
   */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    // a thread's post known by its kept id needs no key (its key may be older than Mastodon's hour by now)
    return threadStart(request).chain(earlier -> earlier != null ? Uni.createFrom().item(Optional.of(earlier)) : postByKey(request, account))
        .chain(found -> found.isEmpty() ? Uni.createFrom().item(found)
            : Http.safeServer(vertx, addressPolicy, (String) account.platformFields().get("instance_url"), PLATFORM)
                .chain(base -> replies(base, request, account, found.get(), true))
                .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty()));
  }

  /** {@code DELETE /api/v1/statuses/:id} of each reply of a thread (the last first), then of the post; 404 is gone already. */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return Http.safeServer(vertx, addressPolicy, (String) account.platformFields().get("instance_url"), PLATFORM)
        .chain(base -> handles.all(request.targetId()).chain(kept -> ThreadReplies.unpublish(request.platformOptions(), kept, "status_id",
            id -> deleteStatus(base, account, id), deleteStatus(base, account, request.platformPostId()))));
  }

  /**
   * {@code PUT /api/v1/statuses/:id}: Mastodon replaces the status as a whole, so its media (the attachment ids kept
   * when it was published), content warning and poll go with the new text, or the edit would drop them. A thread's
   * replies keep their text.
   */
  @Override
  public Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    return Http.safeServer(vertx, addressPolicy, (String) account.platformFields().get("instance_url"), PLATFORM)
        .chain(base -> handles.get(request.targetId(), "media_ids").chain(mediaIds -> {
          JsonObject body = new JsonObject().put("status", request.text());
          if (mediaIds != null && !mediaIds.isEmpty()) body.put("media_ids", new JsonArray(List.of(mediaIds.split(","))));
          if (options.get("spoiler_text") != null) body.put("spoiler_text", options.get("spoiler_text"));
          if (options.get("poll") != null) {
            Object seconds = options.get("poll_expires_in");
            body.put("poll", new JsonObject().put("options", new JsonArray(dev.postflow.contract.platform.ContentCheck.pollChoices(options.get("poll"))))
                .put("expires_in", seconds == null ? 86_400 : Integer.parseInt(seconds.toString())));
          }
          return Http.connectFailuresAreRetryable(base.put(http, "/api/v1/statuses/" + request.platformPostId())
              .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(body), PLATFORM);
        }))
        .map(response -> Http.changed(response, PLATFORM, MastodonPublisher::failure));
  }

  private Uni<ProviderOutcome> deleteStatus(Http.Server base, AccountCredentials account, String id) {
    return Http.connectFailuresAreRetryable(base.delete(http, "/api/v1/statuses/" + id).putHeader("Authorization", "Bearer " + account.accessToken())
        .send(), PLATFORM).map(response -> Http.removed(response, MastodonPublisher::failure));
  }

  /** The post, asked with its Idempotency-Key while Mastodon still holds it. */
  private Uni<Optional<ProviderOutcome>> postByKey(PublishRequest request, AccountCredentials account) {
    return handles.get(request.targetId(), "idempotency_key").chain(key -> {
      if (key == null) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
      return handles.get(request.targetId(), "idempotency_key_at").chain(at -> {
        if (at != null && expired(at)) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
        return Http.safeServer(vertx, addressPolicy, (String) account.platformFields().get("instance_url"), PLATFORM)
            .chain(base -> handles.get(request.targetId(), "media_ids")
                .chain(ids -> createStatus(base, request, account, ids == null ? List.of() : List.of(ids.split(",")), key)))
            .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty());
      });
    });
  }

  private static boolean expired(String keyFirstSentAt) {
    return java.time.Instant.parse(keyFirstSentAt).plus(KEY_KEPT).isBefore(java.time.Instant.now());
  }

  /** A thread's post when an earlier attempt published it (kept only for threads), else null. */
  private Uni<ProviderOutcome> threadStart(PublishRequest request) {
    if (ContentCheck.thread(request.platformOptions()).isEmpty()) return Uni.createFrom().nullItem();
    return handles.all(request.targetId()).map(kept -> kept.get("status_id") == null ? null
        : ProviderOutcome.published(kept.get("status_id"), kept.get("status_url"), 200));
  }

  /**
   * A thread's replies, each under the one before ({@code in_reply_to_id}) with the post's visibility and content
   * warning, each with its own Idempotency-Key (the post's key and its number) and its id kept once it is out: a retry
   * continues after the replies that are out, never repeating one. Looking up, a reply whose key Mastodon may have
   * forgotten (first sent over {@link #KEY_KEPT} ago) and that is not known to be out cannot be confirmed.
   */
  private Uni<ProviderOutcome> replies(Http.Server base, PublishRequest request, AccountCredentials account, ProviderOutcome post, boolean lookingUp) {
    String target = request.targetId();
    Map<String, Object> options = request.platformOptions();
    Uni<Void> kept = ContentCheck.thread(options).isEmpty() || !post.published() ? Uni.createFrom().voidItem()
        : handles.put(target, "status_id", post.platformPostId())
            .chain(() -> post.permalink() == null ? Uni.createFrom().voidItem() : handles.put(target, "status_url", post.permalink()));
    return kept.chain(() -> ThreadReplies.publish(request, post, post.platformPostId(), (n, text, media, parent) -> handles.all(target).chain(done -> {
      String out = done.get(ThreadReplies.handle("status_id", n));
      if (out != null) return Uni.createFrom().item(out);
      String at = done.get(ThreadReplies.handle("idempotency_key_at", n));
      if (lookingUp && at != null && expired(at)) throw ThreadReplies.unconfirmed();
      JsonObject body = new JsonObject().put("status", text).put("in_reply_to_id", parent);
      if (options.get("visibility") != null) body.put("visibility", options.get("visibility"));
      if (options.get("spoiler_text") != null) body.put("spoiler_text", options.get("spoiler_text"));
      // the reply's media: uploaded once, their ids kept with the reply's key (a repeat under that key sends the same ids)
      String keptMedia = done.get(ThreadReplies.handle("media_ids", n));
      Uni<Uploaded> uploaded = keptMedia != null ? Uni.createFrom().item(new Uploaded(keptMedia.isEmpty() ? List.of() : List.of(keptMedia.split(",")), null))
          : uploadAll(base, media, account).call(u -> u.failure() != null ? Uni.createFrom().voidItem()
              : handles.put(target, ThreadReplies.handle("media_ids", n), String.join(",", u.value())));
      return uploaded.invoke(u -> {
            if (u.failure() != null) throw ThreadReplies.refused(u.failure(), request, n);
            if (!u.value().isEmpty()) body.put("media_ids", new JsonArray(u.value()));
          })
          .chain(() -> handles.getOrCreate(target, ThreadReplies.handle("idempotency_key_at", n), () -> java.time.Instant.now().toString()))
          .chain(() -> Http.connectFailuresAreRetryable(base.post(http, "/api/v1/statuses")
              .putHeader("Authorization", "Bearer " + account.accessToken())
              .putHeader("Idempotency-Key", "postflow-" + target + "-" + n)
              .sendJsonObject(body), PLATFORM))
          .chain(response -> {
            if (response.statusCode() != 200) throw ThreadReplies.refused(failure(response), request, n);
            String id = Http.json(response).getString("id");
            return handles.put(target, ThreadReplies.handle("status_id", n), id).replaceWith(id);
          });
    })));
  }

  private Uni<ProviderOutcome> createStatus(Http.Server base, PublishRequest request, AccountCredentials account, List<String> mediaIds,
      String key) {
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    JsonObject body = new JsonObject().put("status", request.text() == null ? "" : request.text());
    if (!mediaIds.isEmpty()) body.put("media_ids", new JsonArray(mediaIds));
    if (options.get("visibility") != null) body.put("visibility", options.get("visibility"));
    if (options.get("spoiler_text") != null) body.put("spoiler_text", options.get("spoiler_text"));
    String replyTo = dev.postflow.contract.platform.ContentCheck.replyTo(options);
    if (replyTo != null) body.put("in_reply_to_id", replyTo);
    if (options.get("poll") != null) {
      Object seconds = options.get("poll_expires_in");
      body.put("poll", new JsonObject().put("options", new JsonArray(dev.postflow.contract.platform.ContentCheck.pollChoices(options.get("poll"))))
          .put("expires_in", seconds == null ? 86_400 : Integer.parseInt(seconds.toString())));
    }
    return handles.put(request.targetId(), "media_ids", String.join(",", mediaIds))
        .chain(() -> handles.getOrCreate(request.targetId(), "idempotency_key_at", () -> java.time.Instant.now().toString()))
        .chain(() -> Http.connectFailuresAreRetryable(base.post(http, "/api/v1/statuses")
            .putHeader("Authorization", "Bearer " + account.accessToken())
            .putHeader("Idempotency-Key", key)
            .sendJsonObject(body), PLATFORM))
        .map(response -> {
          if (response.statusCode() == 200) {
            JsonObject status = Http.json(response);
            return ProviderOutcome.published(status.getString("id"), status.getString("url"), 200);
          }
          return failure(response);
        });
  }

  private record Uploaded(List<String> value, ProviderOutcome failure) {}

  private Uni<Uploaded> uploadAll(Http.Server base, List<MediaRef> all, AccountCredentials account) {
    Uni<Uploaded> chain = Uni.createFrom().item(new Uploaded(new ArrayList<>(), null));
    for (MediaRef media : all) {
      chain = chain.chain(sofar -> {
        if (sofar.failure() != null) return Uni.createFrom().item(sofar);
        return upload(base, media, account).map(poll -> {
          if (poll.failure() != null) return new Uploaded(sofar.value(), poll.failure());
          sofar.value().add(poll.value());
          return sofar;
        });
      });
    }
    return chain;
  }

  private Uni<Poll<String>> upload(Http.Server base, MediaRef media, AccountCredentials account) {
    return Http.download(http, media, PLATFORM).chain(bytes -> {
      MultipartForm form = MultipartForm.create().binaryFileUpload("file", media.id(), bytes, media.mimeType());
      if (media.altText() != null) form.attribute("description", media.altText());
      return Http.connectFailuresAreRetryable(base.post(http, "/api/v2/media")
          .putHeader("Authorization", "Bearer " + account.accessToken())
          .sendMultipartForm(form), PLATFORM);
    }).chain(response -> {
      int status = response.statusCode();
      if (status != 200 && status != 202) return Uni.createFrom().item(Poll.<String>failed(failure(response)));
      String id = Http.json(response).getString("id");
      if (status == 200) return Uni.createFrom().item(Poll.done(id));
      return Polling.until(() -> base.get(http, "/api/v1/media/" + id)
              .putHeader("Authorization", "Bearer " + account.accessToken()).send()
              .map(seen -> seen.statusCode() == 200 ? Poll.done(id)
                  : seen.statusCode() == 206 ? Poll.<String>processing() : Poll.<String>failed(failure(seen))),
          pollInterval, pollTimeout,
          () -> Poll.failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, null,
              "Mastodon was still processing media " + media.id() + " after " + pollTimeout.toSeconds() + " s"), null)));
    });
  }

  /** Maps Mastodon's {"error": "..."} answers; throws for those worth retrying. */
  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String message = Http.json(response).getString("error", "Mastodon answered " + status);
    if (status == 429) {
      throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, "429", message), status,
          Http.untilInstant(response.getHeader("X-RateLimit-Reset")));
    }
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, String.valueOf(status), message), status);
    if (status == 422 && message.contains("not finished processing")) {
      throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, "422", message), status);
    }
    if (status == 401) return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, "401", message), status);
    if (status == 403) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, "403", message), status);
    if (status == 413 || status == 415) return ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, String.valueOf(status), message), status);
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", String.valueOf(status), message), status);
  }
}
