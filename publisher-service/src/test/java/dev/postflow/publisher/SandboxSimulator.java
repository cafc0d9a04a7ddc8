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
 * with 503 first.
 */
public class SandboxSimulator implements QuarkusTestResourceLifecycleManager {
  static final List<JsonNode> posts = new CopyOnWriteArrayList<>();
  static final List<String> authorizations = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  static final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
  static final Map<String, Long> answerLate = new ConcurrentHashMap<>();
  static final Map<String, Integer> failLookupsFirst = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
  private static final ObjectMapper json = new ObjectMapper();
  private static final java.util.concurrent.ScheduledExecutorService LATE_ANSWERS = Executors.newSingleThreadScheduledExecutor();
  private HttpServer server;

  static long postsFor(String clientRef) {
    return posts.stream().filter(p -> clientRef.equals(p.path("client_ref").asText())).count();
  }

  static int lookupsFor(String clientRef) {
    return lookups.getOrDefault(clientRef, new AtomicInteger()).get();
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
      String id = "sbx_" + UUID.randomUUID();
      posts.add(((com.fasterxml.jackson.databind.node.ObjectNode) body).put("id", id));
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

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void stop() {
    server.stop(0);
  }
}
