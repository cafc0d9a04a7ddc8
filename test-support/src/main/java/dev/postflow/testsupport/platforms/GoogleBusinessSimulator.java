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
 * errors {"error":{"code","message","status"}}; an EVENT or OFFER post without its event (title and schedule), or an OFFER
 * without its offer, is INVALID_ARGUMENT. Failures for {@link #failNext} on "/localPosts": "expired_token",
 * "rate_limited", "server_error", "lose_answer".
 */
public class GoogleBusinessSimulator extends Simulator {
  public static final String TOKEN = "google-token";
  public static final String LOCATION = "accounts/1234567890/locations/987654321";
  /** Google OAuth 2.0 as for YouTube: PKCE, offline access, the client in the form. */
  public final OAuthServer oauth = new OAuthServer(this, "gbp", new OAuthServer.Dialect("/o/oauth2/v2/auth", "/token", "client_id", false, true,
      Map.of("access_type", "offline", "prompt", "consent"), 3599), true, tokens -> tokens);
  public final List<JsonNode> posts = new CopyOnWriteArrayList<>();
  /** Names of local posts taken down with DELETE, in order (they stay in {@link #posts}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  /** Names of local posts changed with PATCH …?updateMask=summary, in order. */
  public final List<String> edited = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(100);

  public GoogleBusinessSimulator() {
    // Account Management API and Business Information API: the user's business accounts, then each one's locations.
    route("GET", "/v1/accounts", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("accounts", List.of(Map.of("name", "accounts/1234567890", "accountName", "Ada's shops", "type", "PERSONAL"))))
        : error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
    route("GET", "/v1/accounts/(\\d+)/locations", (call, path) -> {
      if (!oauth.accepts(call)) return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      if (!"name,title".equals(call.query().get("readMask"))) return error(400, "INVALID_ARGUMENT", "Request contains an invalid argument: read_mask");
      if (!path.group(1).equals("1234567890")) return Answer.json(200, Map.of());
      return Answer.json(200, Map.of("locations", List.of(Map.of("name", "locations/987654321", "title", "Ada's Bakery, Main Street"),
          Map.of("name", "locations/987654322", "title", "Ada's Bakery, Harbour"))));
    });
    route("POST", "/v4/(accounts/\\d+/locations/\\d+)/localPosts", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      if ("rate_limited".equals(failure)) return error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests'");
      if ("server_error".equals(failure)) return error(503, "UNAVAILABLE", "The service is currently unavailable.");
      if (!LOCATION.equals(path.group(1))) return error(404, "NOT_FOUND", "Requested entity was not found.");
      JsonNode body = call.json();
      if (body.path("summary").asText().isEmpty()) return error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
      String topic = body.path("topicType").asText("STANDARD");
      JsonNode event = body.path("event");
      if ((topic.equals("EVENT") || topic.equals("OFFER")) && (event.path("title").asText().isEmpty() || !validDate(event.path("schedule").path("startDate"))
          || !validDate(event.path("schedule").path("endDate")))) {
        return error(400, "INVALID_ARGUMENT", "Request contains an invalid argument: event.title and event.schedule are required for " + topic);
      }
      if (topic.equals("OFFER") && !body.has("offer")) return error(400, "INVALID_ARGUMENT", "Request contains an invalid argument: offer");
      String name = path.group(1) + "/localPosts/" + ids.incrementAndGet();
      var post = ((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy()).put("name", name)
          .put("state", body.path("summary").asText().matches(".*\\d{3}[- ]\\d{3}[- ]\\d{4}.*") ? "REJECTED" : "LIVE")
          .put("searchUrl", "https://local.google.com/place?id=" + ids.get()).put("createTime", Instant.now().toString());
      posts.add(post);
      Answer answer = Answer.json(200, post);
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("PATCH", "/v4/(accounts/\\d+/locations/\\d+/localPosts/\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      if ("server_error".equals(scriptedFailure(call))) return error(503, "UNAVAILABLE", "The service is currently unavailable.");
      String name = path.group(1);
      JsonNode post = posts.stream().filter(p -> p.path("name").asText().equals(name)).findFirst().orElse(null);
      if (post == null || deleted.contains(name)) return error(404, "NOT_FOUND", "Requested entity was not found.");
      String mask = call.query().get("updateMask");
      if (mask == null || mask.isBlank()) return error(400, "INVALID_ARGUMENT", "Request contains an invalid argument: updateMask is required");
      var changed = (com.fasterxml.jackson.databind.node.ObjectNode) post;
      for (String field : mask.split(",")) changed.set(field.trim(), call.json().path(field.trim()));
      changed.put("updateTime", Instant.now().toString());
      edited.add(name);
      return Answer.json(200, changed);
    });
    route("DELETE", "/v4/(accounts/\\d+/locations/\\d+/localPosts/\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      if ("server_error".equals(scriptedFailure(call))) return error(503, "UNAVAILABLE", "The service is currently unavailable.");
      String name = path.group(1);
      if (posts.stream().noneMatch(p -> p.path("name").asText().equals(name)) || deleted.contains(name)) {
        return error(404, "NOT_FOUND", "Requested entity was not found.");
      }
      deleted.add(name);
      return Answer.json(200, Map.of());
    });
    route("GET", "/v4/(accounts/\\d+/locations/\\d+)/localPosts", (call, path) -> Answer.json(200, Map.of("localPosts", posts)));
  }

  /** Google's Date: year, month (1-12) and day (1-31). */
  private static boolean validDate(JsonNode date) {
    int month = date.path("month").asInt();
    int day = date.path("day").asInt();
    return date.path("year").asInt() > 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

  private static Answer error(int code, String status, String message) {
    return Answer.json(code, Map.of("error", Map.of("code", code, "message", message, "status", status)));
  }

  @Override
  protected void onReset() {
    posts.clear();
    deleted.clear();
    edited.clear();
  }
}
