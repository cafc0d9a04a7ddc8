package dev.postflow.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulator of the sandbox platform's HTTP protocol for publisher tests. Behaviour per client_ref:
 * {@link #failFirst} answers 500 that many times first; {@link #answerLate} stores the post, then answers after
 * the given delay (the caller times out: the "answer lost" case); {@link #failLookupsFirst} answers that many lookups
 * with 503 first; {@link #cutOff} drops the first create unanswered and unstored (the call died on the way);
 * {@link #landsAfterLookup} holds the first create unanswered and stores it just after the first lookup has been
 * answered "not found" (the call landed late). Like the real sandbox, a create whose Idempotency-Key was used before
 * is answered 200 with the first post and counted in {@link #repeatsFor}, never stored twice.
 */
public class SandboxSimulator implements QuarkusTestResourceLifecycleManager {
  static final List<JsonNode> posts = new CopyOnWriteArrayList<>();
  static final List<String> authorizations = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  static final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
  static final Map<String, Long> answerLate = new ConcurrentHashMap<>();
  static final Map<String, Integer> failLookupsFirst = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
  static final java.util.Set<String> cutOff = ConcurrentHashMap.newKeySet();
  static final java.util.Set<String> landsAfterLookup = ConcurrentHashMap.newKeySet();
  private static final Map<String, Held> heldCreates = new ConcurrentHashMap<>();
  private static final Map<String, String> postByKey = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> repeats = new ConcurrentHashMap<>();
  private static final List<HttpExchange> unanswered = new CopyOnWriteArrayList<>();
  private static final ObjectMapper json = new ObjectMapper();
  private static final java.util.concurrent.ScheduledExecutorService LATE_ANSWERS = Executors.newSingleThreadScheduledExecutor();
  private HttpServer server;

  static long postsFor(String clientRef) {
    return posts.stream().filter(p -> clientRef.equals(p.path("client_ref").asText())).count();
  }

  static int lookupsFor(String clientRef) {
    return lookups.getOrDefault(clientRef, new AtomicInteger()).get();
  }

  static int repeatsFor(String clientRef) {
    return repeats.getOrDefault(clientRef, new AtomicInteger()).get();
  }

  static int callsFor(String clientRef) {
    return calls.getOrDefault(clientRef, new AtomicInteger()).get();
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/sandbox/api/v1/posts", this::handle);
    server.start();
    return Map.of("postflow.platforms.sandbox.base-url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        respond(exchange, 401, "{\"error\":{\"code\":\"invalid_token\",\"message\":\"no token\"}}");
        return;
      }
      if (exchange.getRequestMethod().equals("GET")) {
        String query = exchange.getRequestURI().getRawQuery();
        String clientRef = URLDecoder.decode(query.substring(query.indexOf('=') + 1), StandardCharsets.UTF_8);
        if (lookups.computeIfAbsent(clientRef, k -> new AtomicInteger()).incrementAndGet() <= failLookupsFirst.getOrDefault(clientRef, 0)) {
          respond(exchange, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"restarting\"}}");
          return;
        }
        Held late = heldCreates.remove(clientRef);
        if (late != null) {
          respond(exchange, 200, "{\"data\":[]}");
          store(late.body(), late.key()); // ...and now the first call lands
          return;
        }
        StringBuilder data = new StringBuilder();
        for (JsonNode post : posts) {
          if (!clientRef.equals(post.path("client_ref").asText())) continue;
          if (data.length() > 0) data.append(',');
          data.append("{\"id\":\"").append(post.path("id").asText()).append("\",\"permalink\":\"https://sandbox.test/p/")
              .append(post.path("id").asText()).append("\"}");
        }
        respond(exchange, 200, "{\"data\":[" + data + "]}");
        return;
      }
      authorizations.add(authorization);
      JsonNode body = json.readTree(exchange.getRequestBody());
      String clientRef = body.path("client_ref").asText();
      int call = calls.computeIfAbsent(clientRef, k -> new AtomicInteger()).incrementAndGet();
      if (call <= failFirst.getOrDefault(clientRef, 0)) {
        respond(exchange, 500, "{\"error\":{\"code\":\"internal\",\"message\":\"try again\"}}");
        return;
      }
      String outcome = body.path("behaviour").path("outcome").asText("published");
      if (outcome.startsWith("failed:")) {
        respond(exchange, 422, "{\"error\":{\"code\":\"" + outcome.substring(7) + "\",\"message\":\"rejected\"}}");
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (cutOff.remove(clientRef)) {
        unanswered.add(exchange); // dropped on the way: nothing stored, no answer
        return;
      }
      if (landsAfterLookup.remove(clientRef)) {
        heldCreates.put(clientRef, new Held((com.fasterxml.jackson.databind.node.ObjectNode) body, key));
        unanswered.add(exchange);
        return;
      }
      Stored stored = store((com.fasterxml.jackson.databind.node.ObjectNode) body, key);
      String id = stored.id();
      if (stored.repeated()) {
        respond(exchange, 200, "{\"id\":\"" + id + "\",\"permalink\":\"https://sandbox.test/p/" + id + "\"}");
        return;
      }
      String created = "{\"id\":\"" + id + "\",\"permalink\":\"https://sandbox.test/p/" + id + "\"}";
      Long late = answerLate.get(clientRef);
      if (late == null) {
        respond(exchange, 201, created);
        return;
      }
      // The simulated platform is slow to answer; the post already exists. Answer later, without holding a thread.
      LATE_ANSWERS.schedule(() -> {
        try {
          respond(exchange, 201, created);
        } catch (IOException e) {
          // the caller gave up long ago: the lost answer this case simulates
        }
      }, late, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  private record Held(com.fasterxml.jackson.databind.node.ObjectNode body, String key) {}

  private record Stored(String id, boolean repeated) {}

  /** Stores a post and registers its Idempotency-Key; a key used before is answered with its post, counted as a repeat. */
  private static synchronized Stored store(com.fasterxml.jackson.databind.node.ObjectNode body, String key) {
    if (key != null && postByKey.containsKey(key)) {
      repeats.computeIfAbsent(body.path("client_ref").asText(), k -> new AtomicInteger()).incrementAndGet();
      return new Stored(postByKey.get(key), true);
    }
    String id = "sbx_" + UUID.randomUUID();
    posts.add(body.put("id", id));
    if (key != null) postByKey.put(key, id);
    return new Stored(id, false);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void stop() {
    for (HttpExchange exchange : unanswered) exchange.close();
    server.stop(0);
  }
}
