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
 * Pinterest API v5 (docs/platforms §10): {@code POST /v5/pins} (board must exist; carousels of 2–5), video media
 * registration with an S3-like upload URL and processing states, {@code GET /v5/boards/{id}/pins}; errors
 * {"code","message"}; 429 with x-ratelimit-reset. Failures for {@link #failNext} on "/v5/pins": "expired_token",
 * "rate_limited", "server_error", "lose_answer".
 */
public class PinterestSimulator extends Simulator {
  public static final String TOKEN = "pinterest-token";
  public static final String BOARD = "549755885175";
  /** The board's one section. */
  public static final String SECTION = "5027629787972154693";
  /** {@code POST /v5/oauth/token} with HTTP Basic client authentication; continuous refresh tokens (rotated). */
  public final OAuthServer oauth = new OAuthServer(this, "pinterest", new OAuthServer.Dialect("/oauth/", "/v5/oauth/token", "client_id", true, false,
      Map.of(), 2_592_000), true, tokens -> tokens);
  public final List<JsonNode> pins = new CopyOnWriteArrayList<>();
  /** Pin ids taken down with DELETE /v5/pins/{id}, in order (they stay in {@link #pins}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  /** Pin ids changed with PATCH /v5/pins/{id}, in order. */
  public final List<String> edited = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> processing = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1_000_000_000_000L);

  public PinterestSimulator() {
    route("GET", "/v5/user_account", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("id", "1017384559384", "username", "ada_pins", "account_type", "BUSINESS"))
        : Answer.json(401, Map.of("code", 2, "message", "Authentication failed.")));
    route("POST", "/v5/media", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("code", 2, "message", "Authentication failed."));
      String id = String.valueOf(ids.incrementAndGet());
      processing.put(id, new AtomicInteger(Integer.MIN_VALUE));
      return Answer.json(201, Map.of("media_id", id, "media_type", "video", "upload_url", baseUrl() + "/s3/" + id,
          "upload_parameters", Map.of("key", "uploads/" + id, "policy", "p0l1cy", "x-amz-signature", "s1g")));
    });
    route("POST", "/s3/(\\d+)", (call, path) -> {
      if (!call.text().contains("p0l1cy")) return Answer.empty(403);
      processing.get(path.group(1)).set(2);
      return Answer.empty(204);
    });
    route("GET", "/v5/media/(\\d+)", (call, path) -> {
      return Answer.json(200, Map.of("media_id", path.group(1), "status", poll(path.group(1))));
    });
    route("POST", "/v5/pins", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("code", 2, "message", "Authentication failed."));
      if ("rate_limited".equals(failure)) {
        return Answer.json(429, Map.of("code", 8, "message", "You have exceeded your rate limit. Try again later."))
            .with("x-ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 1));
      }
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("code", 3, "message", "Service unavailable"));
      JsonNode pin = call.json();
      if (!BOARD.equals(pin.path("board_id").asText())) return Answer.json(404, Map.of("code", 40, "message", "Board not found."));
      if (pin.has("board_section_id") && !SECTION.equals(pin.path("board_section_id").asText())) {
        return Answer.json(404, Map.of("code", 40, "message", "Board section not found."));
      }
      JsonNode source = pin.path("media_source");
      if (source.path("source_type").asText().equals("multiple_image_urls") && (source.path("items").size() < 2 || source.path("items").size() > 5)) {
        return Answer.json(400, Map.of("code", 1, "message", "Invalid parameters: items must have 2 to 5 elements"));
      }
      if (source.path("source_type").asText().equals("video_id") && !"succeeded".equals(state(source.path("media_id").asText()))) {
        return Answer.json(400, Map.of("code", 1, "message", "Media not ready"));
      }
      String id = String.valueOf(ids.incrementAndGet());
      var stored = ((com.fasterxml.jackson.databind.node.ObjectNode) pin.deepCopy()).put("id", id);
      pins.add(stored);
      Answer answer = Answer.json(201, Map.of("id", id, "board_id", BOARD, "created_at", Instant.now().toString()));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("PATCH", "/v5/pins/(\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("code", 2, "message", "Authentication failed."));
      if ("server_error".equals(scriptedFailure(call))) return Answer.json(503, Map.of("code", 3, "message", "Service unavailable"));
      String id = path.group(1);
      JsonNode pin = pins.stream().filter(p -> p.path("id").asText().equals(id)).findFirst().orElse(null);
      if (pin == null || deleted.contains(id)) return Answer.json(404, Map.of("code", 50, "message", "Pin not found."));
      JsonNode body = call.json();
      if (body.path("description").asText().length() > 800) {
        return Answer.json(400, Map.of("code", 1, "message", "Invalid parameters: description is too long"));
      }
      body.fields().forEachRemaining(field -> ((com.fasterxml.jackson.databind.node.ObjectNode) pin).set(field.getKey(), field.getValue()));
      edited.add(id);
      return Answer.json(200, pin);
    });
    route("DELETE", "/v5/pins/(\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return Answer.json(401, Map.of("code", 2, "message", "Authentication failed."));
      if ("server_error".equals(scriptedFailure(call))) return Answer.json(503, Map.of("code", 3, "message", "Service unavailable"));
      String id = path.group(1);
      if (pins.stream().noneMatch(p -> p.path("id").asText().equals(id)) || deleted.contains(id)) {
        return Answer.json(404, Map.of("code", 50, "message", "Pin not found."));
      }
      deleted.add(id);
      return Answer.empty(204);
    });
    route("GET", "/v5/boards/(\\d+)/pins", (call, path) -> Answer.json(200, Map.of("items",
        pins.stream().map(p -> Map.of("id", p.path("id").asText(), "note", p.path("note").asText())).toList())));
  }

  /** registered until uploaded, then processing for two polls, then succeeded. */
  private String poll(String mediaId) {
    AtomicInteger left = processing.get(mediaId);
    if (left == null || left.get() == Integer.MIN_VALUE) return "registered";
    return left.get() > 0 && left.getAndDecrement() > 0 ? "processing" : "succeeded";
  }

  private String state(String mediaId) {
    AtomicInteger left = processing.get(mediaId);
    return left != null && left.get() == 0 ? "succeeded" : "processing";
  }

  @Override
  protected void onReset() {
    pins.clear();
    deleted.clear();
    edited.clear();
  }
}
