package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Google Business Profile localPosts (docs/platforms §11): {@code POST /v4/accounts/{a}/locations/{l}/localPosts}
 * answering a LocalPost (state LIVE, or REJECTED when the summary holds a phone number), {@code GET} the list; Google
 * errors {"error":{"code","message","status"}}. Failures for {@link #failNext} on "/localPosts": "expired_token",
 * "rate_limited", "server_error", "lose_answer".
 */
public class GoogleBusinessSimulator extends Simulator {
  public static final String TOKEN = "google-token";
  public static final String LOCATION = "accounts/1234567890/locations/987654321";
  public final List<JsonNode> posts = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(100);

  public GoogleBusinessSimulator() {
    route("POST", "/v4/(accounts/\\d+/locations/\\d+)/localPosts", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      if ("rate_limited".equals(failure)) return error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests'");
      if ("server_error".equals(failure)) return error(503, "UNAVAILABLE", "The service is currently unavailable.");
      if (!LOCATION.equals(path.group(1))) return error(404, "NOT_FOUND", "Requested entity was not found.");
      JsonNode body = call.json();
      if (body.path("summary").asText().isEmpty()) return error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
      String name = path.group(1) + "/localPosts/" + ids.incrementAndGet();
      var post = ((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy()).put("name", name)
          .put("state", body.path("summary").asText().matches(".*\\d{3}[- ]\\d{3}[- ]\\d{4}.*") ? "REJECTED" : "LIVE")
          .put("searchUrl", "https://local.google.com/place?id=" + ids.get()).put("createTime", Instant.now().toString());
      posts.add(post);
      Answer answer = Answer.json(200, post);
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("GET", "/v4/(accounts/\\d+/locations/\\d+)/localPosts", (call, path) -> Answer.json(200, Map.of("localPosts", posts)));
  }

  private static Answer error(int code, String status, String message) {
    return Answer.json(code, Map.of("error", Map.of("code", code, "message", message, "status", status)));
  }

  @Override
  protected void onReset() {
    posts.clear();
  }
}
