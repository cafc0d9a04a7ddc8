package dev.postflow.publisher.platform.x;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.contract.platform.TextCounter;
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
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.core.http.HttpMethod;
import dev.postflow.contract.crypto.OAuth1;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
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
 * X API v2 (docs/platforms §4) with the user's OAuth 2.0 token (or an OAuth 1.0a token, every request signed): images through {@code POST /2/media/upload}, videos
 * through initialize → append → finalize and the STATUS poll, then {@code POST /2/tweets}. X has no idempotency: a
 * 403 "duplicate content" or a lost answer is reconciled by reading the user's recent posts
 * ({@code GET /2/users/:id/tweets}) for this text since the target's first attempt; found = published, never a
 * blind second post. 429 waits for {@code x-rate-limit-reset} (X sends no Retry-After).
 */
@ApplicationScoped
public class XPublisher implements PlatformPublisher {
  static final String PLATFORM = "x";
  static final int CHUNK = 4 * 1024 * 1024;

  @Inject WebClient http;
  @Inject TargetHandles handles;

  @ConfigProperty(name = "postflow.platforms.x.base-url", defaultValue = "https://api.x.com")
  String baseUrl;

  /** The X app's consumer key and secret (API key and secret), which sign the requests of OAuth 1.0a accounts. */
  @ConfigProperty(name = "postflow.oauth.x.consumer-key")
  Optional<String> consumerKey;

  @ConfigProperty(name = "postflow.oauth.x.consumer-secret")
  Optional<String> consumerSecret;

  @ConfigProperty(name = "postflow.platforms.x.poll-timeout", defaultValue = "PT7M")
  Duration pollTimeout;

  @ConfigProperty(name = "postflow.platforms.x.min-poll-interval", defaultValue = "PT1S")
  Duration minPollInterval;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("x-publish")
  @Timeout(value = 10, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    ProviderOutcome unsigned = unsigned(account);
    if (unsigned != null) return Uni.createFrom().item(unsigned);
    return handles.getOrCreate(request.targetId(), "first_attempt_at", () -> Instant.now().minusSeconds(5).toString())
        .chain(() -> threadStart(request))
        .chain(earlier -> earlier != null ? replies(request, account, earlier, false) // a retry of a thread whose post is out
            : post(request, account).chain(outcome -> replies(request, account, outcome, false)));
  }

  private Uni<ProviderOutcome> post(PublishRequest request, AccountCredentials account) {
    return uploadAll(request, request.mediaOrEmpty(), account)
        .chain(media -> {
          if (media.failure() != null) return Uni.createFrom().item(media.failure());
          JsonObject body = new JsonObject().put("text", request.text() == null ? "" : request.text());
          if (!media.ids().isEmpty()) body.put("media", new JsonObject().put("media_ids", new JsonArray(media.ids())));
          Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
          if (options.get("quote_tweet_id") != null) body.put("quote_tweet_id", options.get("quote_tweet_id").toString());
          String replyTo = ContentCheck.replyTo(options);
          if (replyTo != null) body.put("reply", new JsonObject().put("in_reply_to_tweet_id", replyTo));
          if (options.get("poll") != null) {
            Object minutes = options.get("poll_duration_minutes");
            body.put("poll", new JsonObject().put("options", new JsonArray(ContentCheck.pollChoices(options.get("poll"))))
                .put("duration_minutes", minutes == null ? 1440 : Integer.parseInt(minutes.toString())));
          }
          return Http.connectFailuresAreRetryable(request(HttpMethod.POST, "/2/tweets", account).sendJsonObject(body), PLATFORM)
              .chain(response -> {
                if (response.statusCode() == 201 || response.statusCode() == 200) {
                  String id = Http.json(response).getJsonObject("data", new JsonObject()).getString("id");
                  return Uni.createFrom().item(ProviderOutcome.published(id, permalink(id), response.statusCode()));
                }
                if (isDuplicate(response)) {
                  // Possibly ours from an earlier attempt: look before anything else.
                  return findOwnPost(request, account).map(found -> found.orElse(ProviderOutcome.failed(
                      ProviderErrors.duplicate(PLATFORM, "duplicate", "X refused the post as a duplicate of a recent post"), 403)));
                }
                return Uni.createFrom().item(failure(response));
              });
        });
  }

  /** Found when the post and, for a thread, every reply sent before are on the timeline; replies never sent are sent now. */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return threadStart(request)
        .chain(earlier -> earlier != null ? Uni.createFrom().item(Optional.of(earlier)) : findOwnPost(request, account))
        .chain(found -> found.isEmpty() ? Uni.createFrom().item(found)
            : replies(request, account, found.get(), true).map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty()));
  }

  /** The user's posts since the target's first attempt with the same text (links compared without their t.co form). */
  private Uni<Optional<ProviderOutcome>> findOwnPost(PublishRequest request, AccountCredentials account) {
    return handles.get(request.targetId(), "first_attempt_at")
        .chain(since -> findOwn(account, request.text(), since, ContentCheck.replyTo(request.platformOptions())))
        .map(id -> id.map(found -> ProviderOutcome.published(found, permalink(found), 200)));
  }

  /** The id of the user's post with this text since {@code since}, replying to {@code parent} when that is given. */
  private Uni<Optional<String>> findOwn(AccountCredentials account, String text, String since, String parent) {
    var call = request(HttpMethod.GET, "/2/users/" + account.externalId() + "/tweets", account, "max_results", "100",
        "tweet.fields", "created_at,text,referenced_tweets",
        "start_time", since == null ? null : Instant.parse(since).truncatedTo(ChronoUnit.SECONDS).toString());
    return call.send().map(response -> {
      if (response.statusCode() != 200) {
        failure(response);
        throw new IllegalStateException("X answered " + response.statusCode() + " to the timeline lookup");
      }
      String wanted = comparable(text);
      JsonArray posts = Http.json(response).getJsonArray("data", new JsonArray());
      for (int i = 0; i < posts.size(); i++) {
        JsonObject post = posts.getJsonObject(i);
        // a reply to someone else's post reads back with their @handle in front of our text
        String own = parent == null ? post.getString("text") : LEADING_MENTIONS.matcher(post.getString("text", "")).replaceFirst("");
        if ((comparable(own).equals(wanted) || comparable(post.getString("text")).equals(wanted)) && (parent == null || repliesTo(post, parent))) {
          return Optional.of(post.getString("id"));
        }
      }
      return Optional.<String>empty();
    });
  }

  private static boolean repliesTo(JsonObject post, String parent) {
    JsonArray referenced = post.getJsonArray("referenced_tweets", new JsonArray());
    for (int i = 0; i < referenced.size(); i++) {
      JsonObject ref = referenced.getJsonObject(i);
      if ("replied_to".equals(ref.getString("type")) && parent.equals(ref.getString("id"))) return true;
    }
    return false;
  }

  /** A thread's post when an earlier attempt published it (kept only for threads), else null. */
  private Uni<ProviderOutcome> threadStart(PublishRequest request) {
    if (ContentCheck.thread(request.platformOptions()).isEmpty()) return Uni.createFrom().nullItem();
    return handles.get(request.targetId(), "tweet_id").map(id -> id == null ? null : ProviderOutcome.published(id, permalink(id), 200));
  }

  /**
   * A thread's replies ({@code reply.in_reply_to_tweet_id}, each the one before). X has no idempotency key, so each
   * reply's id is kept once it is out, and a reply sent before without a known answer is looked for on the user's
   * timeline (same text, replying to the same post) before it is sent again; looking up after a lost answer, one that
   * is not there cannot be confirmed (the first call may still land), as for the post itself.
   */
  private Uni<ProviderOutcome> replies(PublishRequest request, AccountCredentials account, ProviderOutcome post, boolean lookingUp) {
    String target = request.targetId();
    Uni<Void> kept = ContentCheck.thread(request.platformOptions()).isEmpty() || !post.published() ? Uni.createFrom().voidItem()
        : handles.put(target, "tweet_id", post.platformPostId());
    return kept.chain(() -> ThreadReplies.publish(request, post, post.platformPostId(), (n, text, media, parent) -> handles.all(target).chain(done -> {
      String out = done.get(ThreadReplies.handle("tweet_id", n));
      if (out != null) return Uni.createFrom().item(out);
      String sentAt = done.get(ThreadReplies.handle("first_attempt_at", n));
      Uni<Optional<String>> earlier = sentAt == null ? Uni.createFrom().item(Optional.<String>empty()) : findOwn(account, text, sentAt, parent);
      return earlier.chain(found -> {
        if (found.isPresent()) return handles.put(target, ThreadReplies.handle("tweet_id", n), found.get()).replaceWith(found.get());
        if (lookingUp && sentAt != null) throw ThreadReplies.unconfirmed();
        return uploadAll(request, media, account).invoke(uploaded -> {
              if (uploaded.failure() != null) throw ThreadReplies.refused(uploaded.failure(), request, n);
            })
            .chain(uploaded -> handles.getOrCreate(target, ThreadReplies.handle("first_attempt_at", n), () -> Instant.now().minusSeconds(5).toString())
            .chain(at -> sendReply(account, text, uploaded.ids(), parent).chain(response -> {
              if (response.statusCode() == 201 || response.statusCode() == 200) {
                String id = Http.json(response).getJsonObject("data", new JsonObject()).getString("id");
                return handles.put(target, ThreadReplies.handle("tweet_id", n), id).replaceWith(id);
              }
              if (!isDuplicate(response)) throw ThreadReplies.refused(failure(response), request, n);
              return findOwn(account, text, at, parent).chain(mine -> {
                if (mine.isEmpty()) {
                  throw ThreadReplies.refused(ProviderOutcome.failed(
                      ProviderErrors.duplicate(PLATFORM, "duplicate", "X refused the reply as a duplicate of a recent post"), 403), request, n);
                }
                return handles.put(target, ThreadReplies.handle("tweet_id", n), mine.get()).replaceWith(mine.get());
              });
            })));
      });
    })));
  }

  private Uni<HttpResponse<Buffer>> sendReply(AccountCredentials account, String text, List<String> mediaIds, String parent) {
    JsonObject body = new JsonObject().put("text", text).put("reply", new JsonObject().put("in_reply_to_tweet_id", parent));
    if (!mediaIds.isEmpty()) body.put("media", new JsonObject().put("media_ids", new JsonArray(mediaIds)));
    return Http.connectFailuresAreRetryable(request(HttpMethod.POST, "/2/tweets", account).sendJsonObject(body), PLATFORM);
  }

  private static String permalink(String id) {
    return "https://x.com/i/status/" + id;
  }

  private static final java.util.regex.Pattern LEADING_MENTIONS = java.util.regex.Pattern.compile("^(@\\w{1,15}\\s+)+");

  /** X rewrites links to t.co and may trim: compare texts with every link replaced by one marker. */
  static String comparable(String text) {
    if (text == null) return "";
    return TextCounter.URL.matcher(text).replaceAll("<link>").strip();
  }

  /** {@code DELETE /2/tweets/:id} of each reply of a thread (the last first), then of the post; 404 is gone already. */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    ProviderOutcome unsigned = unsigned(account);
    if (unsigned != null) return Uni.createFrom().item(unsigned);
    return handles.all(request.targetId()).chain(kept -> ThreadReplies.unpublish(request.platformOptions(), kept, "tweet_id",
        id -> deleteTweet(account, id), deleteTweet(account, request.platformPostId())));
  }

  private Uni<ProviderOutcome> deleteTweet(AccountCredentials account, String id) {
    return Http.connectFailuresAreRetryable(request(HttpMethod.DELETE, "/2/tweets/" + id, account).send(), PLATFORM)
        .map(response -> Http.removed(response, XPublisher::failure));
  }

  /**
   * A request to X's API at {@code path}, with query parameters given as name, value, … (a null value leaves its
   * parameter out), authorized for the account: OAuth 2.0's Bearer token, or, for an account connected with an OAuth
   * 1.0a token and its secret, a signature over the method, URL and query (the JSON or multipart body is not signed).
   */
  private HttpRequest<Buffer> request(HttpMethod method, String path, AccountCredentials account, String... query) {
    String url = baseUrl + path;
    HttpRequest<Buffer> request = http.requestAbs(method, url);
    Map<String, List<String>> parameters = new java.util.TreeMap<>();
    for (int i = 0; i < query.length; i += 2) {
      if (query[i + 1] == null) continue;
      request.addQueryParam(query[i], query[i + 1]);
      parameters.computeIfAbsent(query[i], name -> new java.util.ArrayList<>()).add(query[i + 1]);
    }
    if (account.tokenSecret() == null) return request.putHeader("Authorization", "Bearer " + account.accessToken());
    OAuth1.Credentials credentials = account.oauthAppId() != null
        ? new OAuth1.Credentials(account.consumerKey(), account.consumerSecret(), account.accessToken(), account.tokenSecret())
        : new OAuth1.Credentials(consumerKey.orElse(""), consumerSecret.orElse(""), account.accessToken(), account.tokenSecret());
    return request.putHeader("Authorization", OAuth1.header(credentials, method.name(), url, parameters));
  }

  /**
   * An OAuth 1.0a account needs the consumer key and secret of the app it was connected through (the workspace's own,
   * or the deployment's); without them nothing is sent.
   */
  private ProviderOutcome unsigned(AccountCredentials account) {
    if (account.tokenSecret() == null) return null;
    if (account.oauthAppId() != null) {
      if (account.consumerKey() != null && account.consumerSecret() != null) return null;
      return ProviderOutcome.failed(ProviderErrors.auth("x", null, "the X account uses an OAuth 1.0a token, and the workspace's X app "
          + account.oauthAppId() + " it was connected through has no consumer key and secret any more (or was deleted): set them"
          + " with PUT /v1/oauth-apps/x, or connect the account again"), null);
    }
    if (consumerKey.isPresent() && consumerSecret.isPresent()) return null;
    return ProviderOutcome.failed(ProviderErrors.system("the X account uses an OAuth 1.0a token, and the X app's consumer key and secret "
        + "are not set: set POSTFLOW_OAUTH_X_CONSUMER_KEY and POSTFLOW_OAUTH_X_CONSUMER_SECRET"), null);
  }

  private record Uploaded(List<String> ids, ProviderOutcome failure) {}

  private Uni<Uploaded> uploadAll(PublishRequest request, List<MediaRef> all, AccountCredentials account) {
    Uni<Uploaded> chain = Uni.createFrom().item(new Uploaded(new ArrayList<>(), null));
    for (MediaRef media : all) {
      chain = chain.chain(sofar -> {
        if (sofar.failure() != null) return Uni.createFrom().item(sofar);
        return handles.get(request.targetId(), "media:" + media.id()).chain(known -> {
          if (known != null) { // uploaded by an earlier attempt (media ids live ~24 h)
            sofar.ids().add(known);
            return Uni.createFrom().item(sofar);
          }
          return Http.download(http, media, PLATFORM)
              .chain(bytes -> media.isVideo() ? uploadChunked(media, bytes, account) : uploadSimple(media, bytes, account))
              .chain(poll -> {
                if (poll.failure() != null) return Uni.createFrom().item(new Uploaded(sofar.ids(), poll.failure()));
                sofar.ids().add(poll.value());
                return handles.put(request.targetId(), "media:" + media.id(), poll.value()).replaceWith(sofar);
              });
        });
      });
    }
    return chain;
  }

  private Uni<Poll<String>> uploadSimple(MediaRef media, Buffer bytes, AccountCredentials account) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("media", media.id(), bytes, media.mimeType())
        .attribute("media_category", "image/gif".equals(media.mimeType()) ? "tweet_gif" : "tweet_image");
    return Http.connectFailuresAreRetryable(request(HttpMethod.POST, "/2/media/upload", account).sendMultipartForm(form), PLATFORM)
        .chain(response -> response.statusCode() / 100 == 2 ? processed(Http.json(response), account)
            : Uni.createFrom().item(Poll.<String>failed(failure(response))));
  }

  private Uni<Poll<String>> uploadChunked(MediaRef media, Buffer bytes, AccountCredentials account) {
    JsonObject init = new JsonObject().put("media_type", media.mimeType()).put("total_bytes", bytes.length()).put("media_category", "tweet_video");
    return Http.connectFailuresAreRetryable(request(HttpMethod.POST, "/2/media/upload/initialize", account).sendJsonObject(init), PLATFORM)
        .chain(response -> {
          if (response.statusCode() / 100 != 2) return Uni.createFrom().item(Poll.<String>failed(failure(response)));
          String id = Http.json(response).getJsonObject("data", new JsonObject()).getString("id");
          Uni<Void> appended = Uni.createFrom().voidItem();
          for (int offset = 0, segment = 0; offset < bytes.length(); offset += CHUNK, segment++) {
            Buffer part = bytes.getBuffer(offset, Math.min(bytes.length(), offset + CHUNK));
            MultipartForm form = MultipartForm.create().binaryFileUpload("media", "chunk", part, "application/octet-stream")
                .attribute("segment_index", String.valueOf(segment));
            appended = appended.chain(() -> request(HttpMethod.POST, "/2/media/upload/" + id + "/append", account).sendMultipartForm(form)
                .map(answer -> {
                  if (answer.statusCode() / 100 != 2) failure(answer);
                  return null;
                }));
          }
          return appended.chain(() -> request(HttpMethod.POST, "/2/media/upload/" + id + "/finalize", account).send())
              .chain(finalized -> finalized.statusCode() / 100 == 2 ? processed(Http.json(finalized), account)
                  : Uni.createFrom().item(Poll.<String>failed(failure(finalized))));
        });
  }

  /** Follows processing_info until succeeded (waiting check_after_secs, at least min-poll-interval). */
  private Uni<Poll<String>> processed(JsonObject answer, AccountCredentials account) {
    JsonObject data = answer.getJsonObject("data", answer);
    String id = data.getString("id", data.getString("media_id_string"));
    JsonObject processing = data.getJsonObject("processing_info");
    if (processing == null || "succeeded".equals(processing.getString("state"))) return Uni.createFrom().item(Poll.done(id));
    return Polling.until(() -> request(HttpMethod.GET, "/2/media/upload", account, "command", "STATUS", "media_id", id).send()
            .map(status -> {
              if (status.statusCode() / 100 != 2) return Poll.<String>failed(failure(status));
              JsonObject info = Http.json(status).getJsonObject("data", new JsonObject()).getJsonObject("processing_info", new JsonObject());
              return switch (info.getString("state", "succeeded")) {
                case "succeeded" -> Poll.done(id);
                case "failed" -> Poll.<String>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM,
                    info.getJsonObject("error", new JsonObject()).getString("name"),
                    "X could not process the media: " + info.getJsonObject("error", new JsonObject()).getString("message", "failed")), null));
                default -> Poll.<String>processing();
              };
            }),
        minPollInterval, pollTimeout,
        () -> Poll.failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, null, "X was still processing the media after "
            + pollTimeout.toMinutes() + " min"), null)));
  }

  private static boolean isDuplicate(HttpResponse<Buffer> response) {
    if (response.statusCode() != 403) return false;
    JsonObject body = Http.json(response);
    return body.getString("detail", "").contains("duplicate") || body.encode().contains("\"code\":187");
  }

  /** Problem-details answers {"title","detail","type","status"} (and legacy {"errors":[{"code","message"}]}). */
  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = Http.json(response);
    String type = body.getString("type", "");
    String kind = type.contains("/problems/") ? type.substring(type.lastIndexOf('/') + 1) : String.valueOf(status);
    String message = body.getString("detail", body.getString("title", "X answered " + status));
    if (status == 429) {
      if (kind.equals("usage-capped")) {
        return ProviderOutcome.failed(ProviderErrors.quotaExhausted(PLATFORM, kind, message), status);
      }
      throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, kind, message), status,
          Http.untilEpochSeconds(response.getHeader("x-rate-limit-reset")));
    }
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, kind, message), status);
    if (status == 401) return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, kind, message), status);
    if (status == 403) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, kind, message), status);
    if (status == 413) return ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, kind, message), status);
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", kind, message), status);
  }
}
