package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated bodies (broken JSON, wrong types, huge and deeply nested values, unknown fields, invalid
 * UTF-8, wrong content types) against every endpoint that takes a body: none may answer 5xx, and every 4xx is a
 * problem document. The seed is fixed, so a failure reproduces; set -Dfuzz.seed and -Dfuzz.rounds to explore.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class FuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TestHTTPResource("/")
  URL base;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Target(String method, String path, String seed) {}

  @Test
  void mutatedBodiesNeverGetA5xx() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String post = as(key).body(Map.of("text", "fuzz", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .extract().path("id");
    String webhook = as(key).body(Map.of("url", "http://127.0.0.1:9/hooks")).post("/v1/webhooks").then().statusCode(201).extract().path("id");
    String later = Instant.now().plus(Duration.ofDays(1)).toString();
    List<Target> targets = List.of(
        new Target("POST", "/v1/posts", "{\"text\":\"Hello 👋🏽 world\",\"account_ids\":[\"" + account + "\"],\"scheduled_at\":\"" + later
            + "\",\"media_ids\":[],\"platform_options\":{\"sandbox\":{\"outcome\":\"published\",\"latency_ms\":5}},"
            + "\"targets\":[{\"account_id\":\"" + account + "\",\"text\":\"override\"}],\"external_id\":\"cms-1\",\"metadata\":{\"a\":1},"
            + "\"requires_approval\":true,\"repost\":{\"times\":2,\"every_days\":7}}"),
        new Target("POST", "/v1/posts/validate", "{\"text\":\"x\",\"account_ids\":[\"" + account + "\"],\"time_zone\":\"Europe/Paris\","
            + "\"scheduled_local\":\"2026-03-29T02:30:00\"}"),
        new Target("PATCH", "/v1/posts/" + post, "{\"text\":\"edited\",\"scheduled_at\":\"" + later + "\",\"metadata\":{\"k\":\"v\"},"
            + "\"repost\":{\"times\":1,\"every_days\":30}}"),
        new Target("POST", "/v1/posts/" + post + "/publish", "{}"),
        new Target("POST", "/v1/posts/" + post + "/retry", "{\"include_unconfirmed\":true}"),
        new Target("POST", "/v1/accounts", "{\"platform\":\"sandbox\",\"external_id\":\"u9\",\"handle\":\"@u\",\"access_token\":\"t\"}"),
        new Target("POST", "/v1/api-keys", "{\"name\":\"ci\"}"),
        new Target("POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"post.published\"],\"description\":\"d\"}"),
        new Target("PATCH", "/v1/webhooks/" + webhook, "{\"events\":[\"*\"],\"status\":\"enabled\",\"description\":\"x\"}"),
        new Target("POST", "/v1/webhooks/" + webhook + "/replay", "{\"since\":\"2026-01-01T00:00:00Z\"}"),
        new Target("POST", "/v1/queues", "{\"name\":\"Q\",\"time_zone\":\"Europe/Berlin\",\"capacity\":2,"
            + "\"slots\":[{\"days\":[\"mon\",\"fri\"],\"times\":[\"09:00\",\"13:30\"]}]}"),
        new Target("PUT", "/v1/oauth-apps/x", "{\"client_id\":\"c\",\"client_secret\":\"s\",\"consumer_key\":\"k\",\"consumer_secret\":\"cs\"}"),
        new Target("POST", "/v1/media/uploads", "{\"content_type\":\"video/mp4\",\"size_bytes\":1048576,\"alt_text\":\"a\"}"),
        new Target("POST", "/v1/posts/" + post + "/reject", "{\"reason\":\"Say which product\"}"),
        new Target("POST", "/v1/posts/" + post + "/edit", "{\"text\":\"edited on the platforms\",\"target_ids\":[\"tgt_x\"]}"),
        new Target("POST", "/v1/connect-links", "{\"redirect_uri\":\"https://app.example/a\",\"platforms\":[\"sandbox\",\"mastodon\"],\"expires_in\":600}"),
        new Target("POST", "/v1/workspaces", "{\"name\":\"Acme\"}"));

    long seed = Long.getLong("fuzz.seed", 20261201L);
    int rounds = Integer.getInteger("fuzz.rounds", 260);
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (Target target : targets) {
      String auth = target.path().equals("/v1/workspaces") ? Api.ADMIN : key;
      for (String body : fixedHostileBodies()) {
        failures.addAll(check(target, auth, "application/json", body.getBytes(StandardCharsets.UTF_8)));
        sent++;
      }
      for (int i = 0; i < rounds; i++) {
        byte[] body = mutate(target.seed(), random);
        String contentType = random.nextInt(20) == 0 ? randomContentType(random) : "application/json";
        failures.addAll(check(target, auth, contentType, body));
        sent++;
      }
    }
    System.out.printf("fuzz: %d requests (seed %d), %d answered 5xx or without a problem document%n", sent, seed, failures.size());
    assertTrue(failures.isEmpty(), String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
  }

  private List<String> check(Target target, String key, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + target.path()))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
        .method(target.method(), HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) request.header("Content-Type", contentType);
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    String shown = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    if (status >= 500) {
      return List.of(target.method() + " " + target.path() + " [" + contentType + "] answered " + status + " to: " + shown
          + "\n  -> " + response.body());
    }
    if (status >= 400 && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
      return List.of(target.method() + " " + target.path() + " answered " + status + " without a problem document to: " + shown
          + "\n  -> " + response.headers().firstValue("Content-Type").orElse("(none)") + " " + response.body());
    }
    return List.of();
  }

  private static List<String> fixedHostileBodies() {
    return List.of("", "null", "[]", "\"text\"", "42", "true", "{", "}", "{}", "{\"text\":}", "{\"text\":\"unterminated}",
        "[".repeat(50_000), "{\"a\":".repeat(20_000), " ".repeat(200_000), "{\"text\":\"" + "x".repeat(300_000) + "\"}",
        "{\"text\":\"\\ud800\"}", "{\"text\":\"\\u0000\"}", "{\"text\":1e99999}", "{\"account_ids\":[" + "\"a\",".repeat(5000) + "\"a\"]}",
        "{\"scheduled_at\":\"2026-13-45T25:61:00Z\"}", "{\"scheduled_at\":\"tomorrow\"}", "{\"time_zone\":\"Mars/Olympus\"}",
        "{\"text\":\"x\",\"text\":\"y\"}", "{\"__proto__\":{}}", "{\"metadata\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}");
  }

  private static String randomContentType(Random random) {
    String[] types = {"text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/json; charset=latin1", "application/octet-stream", "", "*/*"};
    return types[random.nextInt(types.length)];
  }

  /** One mutation of the seed: at the byte level (broken JSON) or on the tree (wrong types, odd values, extra fields). */
  private static byte[] mutate(String seed, Random random) throws Exception {
    if (random.nextInt(3) == 0) return mutateBytes(seed.getBytes(StandardCharsets.UTF_8), random);
    JsonNode tree = JSON.readTree(seed);
    int changes = 1 + random.nextInt(3);
    for (int i = 0; i < changes; i++) mutateTree(tree, random);
    return JSON.writeValueAsBytes(tree);
  }

  private static byte[] mutateBytes(byte[] body, Random random) {
    byte[] out = body.clone();
    switch (random.nextInt(5)) {
      case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256); // any byte, invalid UTF-8 included
      case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length)); // truncated
      case 2 -> {
        int at = random.nextInt(out.length);
        byte[] longer = new byte[out.length + 1];
        System.arraycopy(out, 0, longer, 0, at);
        byte[] alphabet = "{}[]\",:\\0-eE.".getBytes(StandardCharsets.UTF_8);
        longer[at] = alphabet[random.nextInt(alphabet.length)];
        System.arraycopy(out, at, longer, at + 1, out.length - at);
        out = longer;
      }
      case 3 -> {
        int at = random.nextInt(out.length);
        byte[] shorter = new byte[out.length - 1];
        System.arraycopy(out, 0, shorter, 0, at);
        System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
        out = shorter;
      }
      default -> {
        int from = random.nextInt(out.length);
        int to = from + random.nextInt(out.length - from);
        byte[] doubled = new byte[out.length + (to - from)];
        System.arraycopy(out, 0, doubled, 0, to);
        System.arraycopy(out, from, doubled, to, out.length - from);
        out = doubled;
      }
    }
    return out;
  }

  private static void mutateTree(JsonNode node, Random random) {
    if (!(node instanceof ObjectNode object) || object.isEmpty()) {
      if (node instanceof ObjectNode empty) empty.set("unexpected", oddValue(random));
      return;
    }
    List<String> names = new ArrayList<>();
    Iterator<String> it = object.fieldNames();
    while (it.hasNext()) names.add(it.next());
    String name = names.get(random.nextInt(names.size()));
    JsonNode value = object.get(name);
    switch (random.nextInt(6)) {
      case 0 -> object.remove(name);
      case 1 -> object.set("unknown_" + random.nextInt(100), oddValue(random));
      case 2 -> {
        if (value instanceof ObjectNode || value instanceof ArrayNode) {
          JsonNode inner = value instanceof ArrayNode array && array.size() > 0 ? array.get(random.nextInt(array.size())) : value;
          mutateTree(inner, random);
        } else {
          object.set(name, oddValue(random));
        }
      }
      default -> object.set(name, oddValue(random));
    }
  }

  private static JsonNode oddValue(Random random) {
    return switch (random.nextInt(16)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(-1);
      case 3 -> NODES.numberNode(new java.math.BigInteger("99999999999999999999999999"));
      case 4 -> NODES.numberNode(1.5e308);
      case 5 -> NODES.textNode("");
      case 6 -> NODES.textNode("x".repeat(random.nextInt(100_000)));
      case 7 -> NODES.textNode("👩‍👩‍👧‍👦".repeat(1 + random.nextInt(2000)));
      case 8 -> NODES.textNode("2026-02-30T10:00:00");
      case 9 -> NODES.textNode("\u0000\u202e\ufeff");
      case 10 -> NODES.arrayNode().add(NODES.nullNode()).add(NODES.numberNode(1)).add(NODES.objectNode());
      case 11 -> NODES.objectNode().put("nested", "value");
      case 12 -> {
        ArrayNode deep = NODES.arrayNode();
        ArrayNode current = deep;
        for (int i = 0; i < 300; i++) current = current.addArray();
        yield deep;
      }
      case 13 -> NODES.textNode("acc_" + "0".repeat(26));
      case 14 -> NODES.arrayNode().add("post.published").add("*").add("nope");
      default -> NODES.numberNode(random.nextInt());
    };
  }
}
