package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * X API v2 (docs/platforms §4): media upload (simple, and initialize/append/finalize + STATUS for video),
 * {@code POST /2/tweets} (201 {data:{id,text}}), duplicate text refused with 403 "duplicate content" without the id,
 * {@code GET /2/users/:id/tweets} with t.co-shortened links, problem-details errors, 429 with x-rate-limit-reset.
 * Failures for {@link #failNext}: "expired_token", "rate_limited", "usage_capped", "server_error", "lose_answer",
 * "processing_failed".
 */
public class XSimulator extends Simulator {
  public static final String TOKEN = "x-user-token";
  /** OAuth 1.0a user context: the app's consumer key and secret, and a user's access token and its secret. */
  public static final String CONSUMER_KEY = "x-consumer-key-1a";
  public static final String CONSUMER_SECRET = "x-consumer-secret-1a";
  public static final String OAUTH1_TOKEN = "2244994945-oauth1accesstoken";
  public static final String OAUTH1_TOKEN_SECRET = "oauth1-token-secret";
  /** Requests whose OAuth 1.0a signature was checked and correct. */
  public final AtomicInteger oauth1Verified = new AtomicInteger();
  /** A user's OAuth 1.0a access token: its secret and the app (consumer key) it was issued to. */
  private record OAuth1Token(String secret, String consumerKey) {}
  /** OAuth 1.0a apps (consumer key → secret): ours, and workspaces' own ({@link #registerOAuth1}). */
  private final Map<String, String> consumers = new ConcurrentHashMap<>(Map.of(CONSUMER_KEY, CONSUMER_SECRET));
  private final Map<String, OAuth1Token> oauth1Tokens = new ConcurrentHashMap<>(Map.of(OAUTH1_TOKEN, new OAuth1Token(OAUTH1_TOKEN_SECRET, CONSUMER_KEY)));
  /** Consumer keys of the requests whose OAuth 1.0a signature was correct, in order. */
  public final List<String> oauth1SignedBy = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> nonces = java.util.concurrent.ConcurrentHashMap.newKeySet();
  public static final String USER_ID = "2244994945";
  public final List<JsonNode> tweets = new CopyOnWriteArrayList<>();
  /** Posts of other users (id → their username), which the account can reply to. */
  public final Map<String, String> othersPosts = new ConcurrentHashMap<>();
  /** Ids of posts taken down with DELETE /2/tweets/:id, in order (they stay in {@link #tweets}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> processing = new ConcurrentHashMap<>();
  private final Map<String, Boolean> failedMedia = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1800000000000000000L);

  /** Refresh tokens that may still be used once (X rotates them: each is single-use). */
  public final java.util.Set<String> refreshTokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
  public final AtomicInteger refreshes = new AtomicInteger();
  /** Access tokens issued by refreshes (accepted besides TOKEN). */
  private final java.util.Set<String> issued = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Access tokens X no longer accepts (revoked, or expired before their expires_in): answered 401. */
  public final java.util.Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** OAuth 2.0 with PKCE; a confidential client authenticates with HTTP Basic at the token endpoint. */
  public final OAuthServer oauth = new OAuthServer(this, "x", new OAuthServer.Dialect("/i/oauth2/authorize", "/2/oauth2/token", "client_id",
      true, true, Map.of(), 7200), false, tokens -> tokens);

  public XSimulator() {
    route("POST", "/2/oauth2/token", (call, path) -> {
      if ("unavailable".equals(scriptedFailure(call))) return Answer.json(503, Map.of("error", "temporarily_unavailable"));
      Map<String, String> form = call.form();
      if ("authorization_code".equals(form.get("grant_type"))) return oauth.token(call);
      if (!"refresh_token".equals(form.get("grant_type")) || !refreshTokens.remove(form.get("refresh_token"))) {
        return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "Value passed for the token was invalid."));
      }
      refreshes.incrementAndGet();
      String access = "x-access-" + java.util.UUID.randomUUID();
      String refresh = "x-refresh-" + java.util.UUID.randomUUID();
      issued.add(access);
      refreshTokens.add(refresh);
      return Answer.json(200, Map.of("token_type", "bearer", "expires_in", 7200, "access_token", access, "scope", "tweet.write offline.access",
          "refresh_token", refresh));
    });
    route("GET", "/2/users/me", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("data", Map.of("id", USER_ID, "name", "Developers", "username", "XDevelopers")))
        : unauthorized());
    route("POST", "/2/media/upload", (call, path) -> {
      if (!authorized(call)) return unauthorized();
      String id = String.valueOf(ids.incrementAndGet());
      return Answer.json(200, Map.of("data", Map.of("id", id, "media_key", "3_" + id, "expires_after_secs", 86400)));
    });
    route("POST", "/2/media/upload/initialize", (call, path) -> {
      if (!authorized(call)) return unauthorized();
      String id = String.valueOf(ids.incrementAndGet());
      processing.put(id, new AtomicInteger(2));
      if ("processing_failed".equals(scriptedFailure(call))) failedMedia.put(id, true);
      return Answer.json(200, Map.of("data", Map.of("id", id, "expires_after_secs", 86400)));
    });
    route("POST", "/2/media/upload/(\\d+)/append", (call, path) -> !authorized(call) ? unauthorized()
        : Answer.json(200, Map.of("data", Map.of("expires_at", 0))));
    route("POST", "/2/media/upload/(\\d+)/finalize", (call, path) -> !authorized(call) ? unauthorized()
        : Answer.json(200, Map.of("data", Map.of("id", path.group(1), "processing_info", Map.of("state", "pending", "check_after_secs", 1)))));
    route("GET", "/2/media/upload", (call, path) -> {
      if (!authorized(call)) return unauthorized();
      String id = call.query().get("media_id");
      if (failedMedia.containsKey(id)) {
        return Answer.json(200, Map.of("data", Map.of("id", id, "processing_info", Map.of("state", "failed",
            "error", Map.of("code", 1, "name", "InvalidMedia", "message", "Unsupported video codec")))));
      }
      AtomicInteger left = processing.get(id);
      String state = left != null && left.getAndDecrement() > 0 ? "in_progress" : "succeeded";
      return Answer.json(200, Map.of("data", Map.of("id", id, "processing_info", Map.of("state", state, "check_after_secs", 1))));
    });
    route("POST", "/2/tweets", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !authorized(call)) return unauthorized();
      if ("rate_limited".equals(failure)) {
        return problem(429, "rate-limit-exceeded", "Too Many Requests").with("x-rate-limit-reset", String.valueOf(Instant.now().getEpochSecond() + 1))
            .with("x-rate-limit-remaining", "0");
      }
      if ("usage_capped".equals(failure)) return problem(429, "usage-capped", "Usage cap exceeded: Monthly product cap");
      JsonNode body = call.json();
      String text = body.path("text").asText();
      if (failure == null) failure = textFailure(text, any -> true);
      if ("server_error".equals(failure)) return problem(503, "service-unavailable", "Service Unavailable");
      if ("invalid_request".equals(failure)) return problem(400, "invalid-request", "One or more parameters to your request was invalid.");
      String quoted = body.path("quote_tweet_id").asText(null);
      if (quoted != null) {
        // [X13]: quote posts need the Enterprise plan; "quote_not_allowed" answers as X does for other plans
        if ("quote_not_allowed".equals(failure)) return problem(403, "client-forbidden", "Quoting is not available on your plan.");
        if (!quoted.matches("\\d+") || !body.path("poll").isMissingNode()) return problem(400, "invalid-request", "Invalid quote_tweet_id");
      }
      String inReplyTo = body.path("reply").path("in_reply_to_tweet_id").asText(null);
      if (inReplyTo != null && tweets.stream().noneMatch(t -> t.path("id").asText().equals(inReplyTo)) && !othersPosts.containsKey(inReplyTo)) {
        return problem(400, "invalid-request", "The Tweet you are replying to has been deleted or is not visible to you.");
      }
      for (JsonNode tweet : tweets) {
        if (tweet.path("original_text").asText().equals(text)) {
          return Answer.json(403, Map.of("detail", "You are not allowed to create a Tweet with duplicate content.", "type", "about:blank",
              "title", "Forbidden", "status", 403));
        }
      }
      if (body.path("media").path("media_ids").size() > 4) return problem(400, "invalid-request", "Your media IDs are invalid: maximum of 4 items");
      JsonNode poll = body.path("poll");
      if (!poll.isMissingNode()) {
        boolean choicesOk = poll.path("options").isArray() && poll.path("options").size() >= 2 && poll.path("options").size() <= 4;
        for (JsonNode choice : poll.path("options")) choicesOk &= !choice.asText().isEmpty() && choice.asText().codePointCount(0, choice.asText().length()) <= 25;
        int minutes = poll.path("duration_minutes").asInt(-1);
        if (!choicesOk || minutes < 5 || minutes > 10080) return problem(400, "invalid-request", "Invalid poll: 2-4 options of 1-25 characters, 5-10080 minutes");
        if (!body.path("media").isMissingNode()) return problem(400, "invalid-request", "A Tweet with a poll cannot have media");
      }
      String id = String.valueOf(ids.incrementAndGet());
      // a reply to another user's post reads back with their @handle in front, as X shows it
      String shown = (inReplyTo != null && othersPosts.containsKey(inReplyTo) ? "@" + othersPosts.get(inReplyTo) + " " : "") + text;
      var tweet = JSON.createObjectNode().put("id", id).put("text", shown.replaceAll("https?://\\S+", "https://t.co/abc123"))
          .put("original_text", text).put("created_at", Instant.now().toString());
      tweet.set("media_ids", body.path("media").path("media_ids"));
      if (!poll.isMissingNode()) tweet.set("poll", poll);
      if (inReplyTo != null) tweet.put("in_reply_to", inReplyTo);
      if (quoted != null) tweet.put("quote_tweet_id", quoted);
      tweets.add(tweet);
      Answer answer = Answer.json(201, Map.of("data", Map.of("id", id, "text", tweet.path("text").asText())));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("GET", "/2/users/(\\d+)/tweets", (call, path) -> {
      if (!authorized(call)) return unauthorized();
      Instant since = call.query().containsKey("start_time") ? Instant.parse(call.query().get("start_time")) : Instant.EPOCH;
      boolean references = call.query().getOrDefault("tweet.fields", "").contains("referenced_tweets");
      List<Map<String, Object>> data = tweets.stream()
          .filter(t -> !Instant.parse(t.path("created_at").asText()).isBefore(since))
          .map(t -> {
            Map<String, Object> post = new java.util.LinkedHashMap<>(Map.of("id", t.path("id").asText(), "text", t.path("text").asText(),
                "created_at", t.path("created_at").asText()));
            if (references && t.hasNonNull("in_reply_to")) {
              post.put("referenced_tweets", List.of(Map.of("type", "replied_to", "id", t.path("in_reply_to").asText())));
            }
            return post;
          })
          .toList();
      return Answer.json(200, Map.of("data", data, "meta", Map.of("result_count", data.size())));
    });
    // [X1]: DELETE /2/tweets/:id answers {"data": {"deleted": true}}; a post that does not exist (any more) is 404
    route("DELETE", "/2/tweets/(\\d+)", (call, path) -> {
      String failure = scriptedFailure(call);
      if (!authorized(call)) return unauthorized();
      if ("rate_limited".equals(failure)) {
        return problem(429, "rate-limit-exceeded", "Too Many Requests").with("x-rate-limit-reset", String.valueOf(Instant.now().getEpochSecond() + 1));
      }
      if ("server_error".equals(failure)) return problem(503, "service-unavailable", "Service Unavailable");
      String id = path.group(1);
      if (tweets.stream().noneMatch(t -> t.path("id").asText().equals(id)) || deleted.contains(id)) {
        return problem(404, "resource-not-found", "Could not find tweet with id: [" + id + "].");
      }
      deleted.add(id);
      return Answer.json(200, Map.of("data", Map.of("deleted", true)));
    });
  }

  private boolean authorized(Call call) {
    String header = call.header("Authorization");
    if (header != null && header.startsWith("OAuth ")) return signed(call, header);
    String token = bearer(call);
    return !revoked.contains(token) && (TOKEN.equals(token) || issued.contains(token));
  }

  /**
   * OAuth 1.0a: the consumer key and token known, HMAC-SHA1, a timestamp within 5 minutes, a nonce not seen before, and
   * the signature over the method, this server's URL of the path, and the query parameters (RFC 5849, 3.4.1).
   */
  private boolean signed(Call call, String header) {
    Map<String, String> oauth = dev.postflow.contract.crypto.OAuth1.parseHeader(header);
    String consumerKey = oauth.get("oauth_consumer_key");
    OAuth1Token token = oauth1Tokens.get(String.valueOf(oauth.get("oauth_token")));
    if (token == null || !token.consumerKey().equals(consumerKey) || revoked.contains(oauth.get("oauth_token"))
        || !"HMAC-SHA1".equals(oauth.get("oauth_signature_method")) || !"1.0".equals(oauth.get("oauth_version"))) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(oauth.get("oauth_timestamp"));
    } catch (RuntimeException e) {
      return false;
    }
    if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300 || !nonces.add(oauth.get("oauth_nonce"))) return false;
    Map<String, List<String>> parameters = new java.util.TreeMap<>();
    call.query().forEach((name, value) -> parameters.put(name, List.of(value)));
    Map<String, String> signed = new java.util.TreeMap<>(oauth);
    signed.remove("oauth_signature");
    String expected = dev.postflow.contract.crypto.OAuth1.signature(new dev.postflow.contract.crypto.OAuth1.Credentials(consumerKey,
        consumers.get(consumerKey), oauth.get("oauth_token"), token.secret()), call.method(), baseUrl() + call.path(), parameters, signed);
    boolean valid = expected.equals(oauth.get("oauth_signature"));
    if (valid) {
      oauth1Verified.incrementAndGet();
      oauth1SignedBy.add(consumerKey);
    }
    return valid;
  }

  /** A workspace's own X app (consumer key and secret) and a user's access token and secret issued to it. */
  public void registerOAuth1(String consumerKey, String consumerSecret, String token, String tokenSecret) {
    consumers.put(consumerKey, consumerSecret);
    oauth1Tokens.put(token, new OAuth1Token(tokenSecret, consumerKey));
  }

  private static Answer unauthorized() {
    return Answer.json(401, Map.of("title", "Unauthorized", "type", "about:blank", "status", 401, "detail", "Unauthorized"));
  }

  private static Answer problem(int status, String kind, String detail) {
    return Answer.json(status, Map.of("title", detail, "detail", detail, "type", "https://api.x.com/2/problems/" + kind, "status", status));
  }

  @Override
  protected void onReset() {
    tweets.clear();
    othersPosts.clear();
    deleted.clear();
    revoked.clear();
  }
}
