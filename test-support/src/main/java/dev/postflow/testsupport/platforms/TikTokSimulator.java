package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TikTok Content Posting API (docs/platforms §8): creator_info/query, video/init and content/init with PULL_FROM_URL
 * (really pulled), status/fetch going PROCESSING_DOWNLOAD → PUBLISH_COMPLETE; every answer carries
 * {"error":{"code","message","log_id"}}. Failures for {@link #failNext} on "/init/": "expired_token", "rate_limited",
 * "too_many_posts" (HTTP 200 with spam_risk on creator_info too), "pull_failed" (the status ends FAILED video_pull_failed
 * once), "lose_answer".
 */
public class TikTokSimulator extends Simulator {
  public static final String TOKEN = "tiktok-token";
  public static final String OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4";
  /** Login Kit: the client is a "client_key" (authorization URL and token form); the token answer carries open_id. */
  public final OAuthServer oauth = new OAuthServer(this, "tiktok", new OAuthServer.Dialect("/v2/auth/authorize/", "/v2/oauth/token/", "client_key",
      false, false, Map.of(), 86_400), true, tokens -> {
        Map<String, Object> answer = new java.util.LinkedHashMap<>(tokens);
        answer.put("open_id", OPEN_ID);
        answer.put("refresh_expires_in", 31_536_000);
        return answer;
      });
  public final List<JsonNode> published = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> inits = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1);
  private final HttpClient fetcher = HttpClient.newHttpClient();

  public TikTokSimulator() {
    route("GET", "/v2/user/info/", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("data", Map.of("user", Map.of("open_id", OPEN_ID, "union_id", "u-" + OPEN_ID, "display_name", "Ada", "username", "ada.tok")),
            "error", Map.of("code", "ok", "message", "", "log_id", "20261206")))
        : Answer.json(401, Map.of("error", Map.of("code", "access_token_invalid", "message", "The access token is invalid or not found in the request.", "log_id", "20261206"))));
    route("POST", "/v2/post/publish/creator_info/query/", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "access_token_invalid", "The access token is invalid or not found in the request.");
      return Answer.json(200, Map.of("data", Map.of("creator_username", "tester", "privacy_level_options",
          List.of("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"), "comment_disabled", false, "duet_disabled", false,
          "stitch_disabled", true, "max_video_post_duration_sec", 600), "error", Map.of("code", "ok", "message", "", "log_id", "l1")));
    });
    route("POST", "/v2/post/publish/(video|content)/init/", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) return error(401, "access_token_invalid", "The access token is invalid.");
      if ("rate_limited".equals(failure)) return error(429, "rate_limit_exceeded", "API rate limit exceeded");
      if ("too_many_posts".equals(failure)) return error(403, "spam_risk_too_many_posts", "The daily post cap is reached");
      JsonNode body = call.json();
      JsonNode source = body.path("source_info");
      List<String> urls = new java.util.ArrayList<>();
      if (source.has("video_url")) urls.add(source.path("video_url").asText());
      source.path("photo_images").forEach(u -> urls.add(u.asText()));
      for (String url : urls) {
        if (!fetchable(url)) return error(403, "url_ownership_unverified", "The URL's domain is not verified");
      }
      String id = "v_pub_url~v2." + ids.incrementAndGet();
      inits.put(id, body);
      polls.put(id, new AtomicInteger(2));
      if ("pull_failed".equals(failure)) failures.put(id, "video_pull_failed");
      Answer answer = Answer.json(200, Map.of("data", Map.of("publish_id", id), "error", Map.of("code", "ok", "message", "", "log_id", "l2")));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("POST", "/v2/post/publish/status/fetch/", (call, path) -> {
      String id = call.json().path("publish_id").asText();
      AtomicInteger left = polls.get(id);
      if (left == null) return error(400, "invalid_params", "publish_id not found");
      if (left.getAndDecrement() > 0) return status(id, "PROCESSING_DOWNLOAD", null);
      String failed = failures.get(id);
      if (failed != null) return status(id, "FAILED", failed);
      if (published.stream().noneMatch(p -> p.path("publish_id").asText().equals(id))) {
        published.add(((com.fasterxml.jackson.databind.node.ObjectNode) inits.get(id).deepCopy()).put("publish_id", id));
      }
      return status(id, "PUBLISH_COMPLETE", null);
    });
  }

  private Answer status(String id, String status, String failReason) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("status", status);
    if (failReason != null) data.put("fail_reason", failReason);
    if (status.equals("PUBLISH_COMPLETE")) data.put("publicaly_available_post_id", List.of(7_300_000_000L + Math.abs(id.hashCode())));
    return Answer.json(200, Map.of("data", data, "error", Map.of("code", "ok", "message", "", "log_id", "l3")));
  }

  private boolean fetchable(String url) {
    try {
      return fetcher.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static Answer error(int status, String code, String message) {
    return Answer.json(status, Map.of("data", Map.of(), "error", Map.of("code", code, "message", message, "log_id", "202612010000")));
  }

  @Override
  protected void onReset() {
    published.clear();
  }
}
