package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mastodon's REST protocol (docs/platforms §7): {@code POST /api/v2/media} answers 200 for images and 202 for video
 * (then {@code GET /api/v1/media/:id} answers 206 while processing, 200 when ready); {@code POST /api/v1/statuses}
 * honours {@code Idempotency-Key}; errors are {@code {"error": "..."}}; 429 carries {@code X-RateLimit-Reset}.
 * Failures for {@link #failNext}: "expired_token", "rate_limited", "server_error", "lose_answer" (creates, answers
 * too late), "stuck_processing" (media never finishes), "media_rejected".
 */
public class MastodonSimulator extends Simulator {
  public static final String TOKEN = "mastodon-token";
  public static final String ACCOUNT_ID = "109348273917386";
  /**
   * The instance's OAuth server (Doorkeeper): PKCE, the client's id and secret in the form; tokens never expire, so the
   * answer has no expires_in and no refresh token. Apps register at {@code POST /api/v1/apps}.
   */
  public final OAuthServer oauth = new OAuthServer(this, "mastodon", new OAuthServer.Dialect("/oauth/authorize", "/oauth/token", "client_id",
      false, true, Map.of(), 0), true, tokens -> Map.of("access_token", tokens.get("access_token"), "token_type", "Bearer",
          "scope", String.valueOf(tokens.getOrDefault("scope", "")), "created_at", Instant.now().getEpochSecond()));
  public final List<Map<String, String>> appRegistrations = new CopyOnWriteArrayList<>();
  public final List<JsonNode> statuses = new CopyOnWriteArrayList<>();
  /** Ids of other users' statuses on this instance, which the account can reply to. */
  public final java.util.Set<String> othersStatuses = ConcurrentHashMap.newKeySet();
  /** Ids of statuses taken down with DELETE /api/v1/statuses/:id, in order (they stay in {@link #statuses}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  /** Ids of statuses edited with PUT /api/v1/statuses/:id, in order (each edit replaces the status's text and media). */
  public final List<String> edited = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> byIdempotencyKey = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> processing = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1000);

  public MastodonSimulator() {
    route("POST", "/api/v1/apps", (call, path) -> {
      Map<String, String> form = call.form();
      if (form.get("client_name") == null || form.get("redirect_uris") == null) {
        return Answer.json(422, Map.of("error", "Validation failed: Application name can't be blank, Redirect URI can't be blank"));
      }
      appRegistrations.add(form);
      return Answer.json(200, Map.of("id", String.valueOf(appRegistrations.size()), "name", form.get("client_name"), "redirect_uri",
          form.get("redirect_uris"), "client_id", OAuthServer.CLIENT_ID, "client_secret", OAuthServer.CLIENT_SECRET, "vapid_key", "BCk-QqERU0q"));
    });
    route("GET", "/api/v1/accounts/verify_credentials", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("id", ACCOUNT_ID, "username", "ada", "acct", "ada", "display_name", "Ada", "url", baseUrl() + "/@ada"))
        : Answer.json(401, Map.of("error", "The access token is invalid")));
    route("POST", "/api/v2/media", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("error", "The access token is invalid"));
      String failure = scriptedFailure(call);
      if ("media_rejected".equals(failure)) return Answer.json(422, Map.of("error", "Validation failed: File content type is invalid"));
      String id = String.valueOf(ids.incrementAndGet());
      boolean video = call.text().toLowerCase().contains("content-type: video/");
      if (!video) return Answer.json(200, Map.of("id", id, "type", "image", "url", baseUrl() + "/files/" + id));
      processing.put(id, new AtomicInteger("stuck_processing".equals(failure) ? Integer.MAX_VALUE : 3));
      return Answer.json(202, Map.of("id", id, "type", "video"));
    });
    route("GET", "/api/v1/media/(\\d+)", (call, path) -> {
      AtomicInteger left = processing.get(path.group(1));
      if (left != null && left.getAndDecrement() > 0) return Answer.json(206, Map.of("id", path.group(1), "url", ""));
      return Answer.json(200, Map.of("id", path.group(1), "url", baseUrl() + "/files/" + path.group(1)));
    });
    route("POST", "/api/v1/statuses", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("error", "The access token is invalid"));
      String failure = scriptedFailure(call);
      String status = call.json().path("status").asText();
      if (failure == null) failure = textFailure(status, any -> true);
      if ("expired_token".equals(failure)) return Answer.json(401, Map.of("error", "The access token is invalid"));
      if ("rate_limited".equals(failure)) {
        return Answer.json(429, Map.of("error", "Too many requests")).with("X-RateLimit-Reset", Instant.now().plusSeconds(1).toString());
      }
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("error", "Service unavailable"));
      if ("invalid_status".equals(failure)) return Answer.json(422, Map.of("error", "Validation failed: Text can't be blank"));
      String key = call.header("Idempotency-Key");
      if (key != null && byIdempotencyKey.containsKey(key)) return Answer.json(200, byIdempotencyKey.get(key));
      JsonNode body = call.json();
      String text = body.path("status").asText();
      if (text.codePointCount(0, text.length()) > 500) return Answer.json(422, Map.of("error", "Validation failed: Text character limit of 500 exceeded"));
      JsonNode poll = body.path("poll");
      if (!poll.isMissingNode()) {
        boolean ok = poll.path("options").size() >= 2 && poll.path("options").size() <= 4 && poll.path("expires_in").asLong(0) >= 300
            && poll.path("expires_in").asLong(0) <= 2_629_746;
        for (JsonNode choice : poll.path("options")) ok &= !choice.asText().isEmpty() && choice.asText().codePointCount(0, choice.asText().length()) <= 50;
        if (!ok) return Answer.json(422, Map.of("error", "Validation failed: Poll is invalid"));
        if (body.path("media_ids").size() > 0) return Answer.json(422, Map.of("error", "Validation failed: Cannot attach files to a poll"));
      }
      String inReplyTo = body.path("in_reply_to_id").asText(null);
      if (inReplyTo != null && statuses.stream().noneMatch(s -> s.path("id").asText().equals(inReplyTo)) && !othersStatuses.contains(inReplyTo)) {
        return Answer.json(404, Map.of("error", "Record not found"));
      }
      for (JsonNode media : body.path("media_ids")) {
        AtomicInteger left = processing.get(media.asText());
        if (left != null && left.get() > 0) {
          return Answer.json(422, Map.of("error", "Cannot attach files that have not finished processing. Try again in a moment!"));
        }
      }
      String id = String.valueOf(ids.incrementAndGet());
      var created = JSON.createObjectNode().put("created_at", Instant.now().toString()).put("id", id).put("url", baseUrl() + "/@user/" + id).put("content", "<p>" + text + "</p>");
      created.set("media_ids", body.path("media_ids"));
      if (!poll.isMissingNode()) created.set("poll", poll);
      if (inReplyTo != null) created.put("in_reply_to_id", inReplyTo);
      if (body.hasNonNull("visibility")) created.put("visibility", body.path("visibility").asText());
      statuses.add(created);
      if (key != null) byIdempotencyKey.put(key, created);
      Answer answer = Answer.json(200, created);
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    // Editing replaces the status (text, media, content warning, poll) and answers it with edited_at; a status gone is 404.
    route("PUT", "/api/v1/statuses/(\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("error", "The access token is invalid"));
      String failure = scriptedFailure(call);
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("error", "Service unavailable"));
      if ("forbidden".equals(failure)) return Answer.json(403, Map.of("error", "This action is not allowed"));
      String id = path.group(1);
      JsonNode status = statuses.stream().filter(s -> s.path("id").asText().equals(id)).findFirst().orElse(null);
      if (status == null || deleted.contains(id)) return Answer.json(404, Map.of("error", "Record not found"));
      JsonNode body = call.json();
      String text = body.path("status").asText();
      if (text.isBlank() && body.path("media_ids").isEmpty()) return Answer.json(422, Map.of("error", "Validation failed: Text can't be blank"));
      if (text.codePointCount(0, text.length()) > 500) return Answer.json(422, Map.of("error", "Validation failed: Text character limit of 500 exceeded"));
      var changed = (com.fasterxml.jackson.databind.node.ObjectNode) status;
      changed.put("content", "<p>" + text + "</p>").put("edited_at", Instant.now().toString());
      changed.set("media_ids", body.path("media_ids").isMissingNode() ? JSON.createArrayNode() : body.path("media_ids"));
      if (body.has("poll")) changed.set("poll", body.path("poll")); else changed.remove("poll");
      edited.add(id);
      return Answer.json(200, changed);
    });
    // Deleting answers the deleted status (with its source text, for "delete and redraft"); a status gone is 404.
    route("DELETE", "/api/v1/statuses/(\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("error", "The access token is invalid"));
      String failure = scriptedFailure(call);
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("error", "Service unavailable"));
      if ("forbidden".equals(failure)) return Answer.json(403, Map.of("error", "This action is not allowed"));
      String id = path.group(1);
      JsonNode status = statuses.stream().filter(s -> s.path("id").asText().equals(id)).findFirst().orElse(null);
      if (status == null || deleted.contains(id)) return Answer.json(404, Map.of("error", "Record not found"));
      deleted.add(id);
      return Answer.json(200, status);
    });
  }

  /** Forgets every Idempotency-Key, as an instance does after an hour. */
  public void forgetIdempotencyKeys() {
    byIdempotencyKey.clear();
  }

  @Override
  protected void onReset() {
    statuses.clear();
    othersStatuses.clear();
    deleted.clear();
    edited.clear();
    byIdempotencyKey.clear();
    processing.clear();
  }
}
