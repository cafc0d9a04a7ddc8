package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base of the platform protocol simulators: a real HTTP server on loopback with routes, a record of every request,
 * and scripted failures ({@link #failNext}) that the next matching request consumes, so a test can force each path.
 */
public abstract class Simulator {
  protected static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the simulator saw it. */
  public record Call(String method, String path, Map<String, String> query, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      for (var entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) return entry.getValue().isEmpty() ? null : entry.getValue().get(0);
      }
      return null;
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** application/x-www-form-urlencoded body or query, as a map. */
    public Map<String, String> form() {
      return parse(text());
    }
  }

  /** An answer: status, headers, body. {@code delayMs} > 0 answers late (the caller's timeout fires first). */
  public record Answer(int status, Map<String, String> headers, byte[] body, long delayMs) {
    public static Answer json(int status, Object body) {
      try {
        return new Answer(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public static Answer empty(int status) {
      return new Answer(status, Map.of(), new byte[0], 0);
    }

    public Answer with(String header, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(header, value);
      return new Answer(status, copy, body, delayMs);
    }

    public Answer late(long delayMs) {
      return new Answer(status, headers, body, delayMs);
    }
  }

  public interface Handler {
    Answer handle(Call call, Matcher path);
  }

  private record Route(String method, Pattern path, Handler handler) {}

  private record Scripted(String pathPart, String failure) {}

  private final List<Route> routes = new ArrayList<>();
  private final Queue<Scripted> scripted = new ConcurrentLinkedQueue<>();
  private final Map<String, String> failOnText = new java.util.concurrent.ConcurrentHashMap<>();
  public final List<Call> calls = new CopyOnWriteArrayList<>();
  private HttpServer server;

  protected void route(String method, String pathRegex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathRegex), handler));
  }

  /** The next request whose path contains {@code pathPart} gets this failure (each simulator names its failures). */
  public void failNext(String pathPart, String failure) {
    scripted.add(new Scripted(pathPart, failure));
  }

  /** The next post whose text contains {@code textContains} gets this failure (each simulator says which it takes). */
  public void failOnText(String textContains, String failure) {
    failOnText.put(textContains, failure);
  }

  /** The failure scripted for a post with this text, consumed when {@code takes} accepts it; null when none. */
  protected String textFailure(String text, java.util.function.Predicate<String> takes) {
    for (Map.Entry<String, String> scripted : failOnText.entrySet()) {
      if (text != null && text.contains(scripted.getKey()) && takes.test(scripted.getValue())
          && failOnText.remove(scripted.getKey(), scripted.getValue())) {
        return scripted.getValue();
      }
    }
    return null;
  }

  /** The failure scripted for this request, consumed; null when none. */
  protected String scriptedFailure(Call call) {
    for (Scripted s : scripted) {
      if (call.path().contains(s.pathPart()) && scripted.remove(s)) return s.failure();
    }
    return null;
  }

  public void reset() {
    scripted.clear();
    failOnText.clear();
    calls.clear();
    onReset();
  }

  protected void onReset() {}

  public List<Call> calls(String method, String pathPart) {
    return calls.stream().filter(c -> c.method().equals(method) && c.path().contains(pathPart)).toList();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void start() {
    if (server != null) return;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::serve);
    server.start();
  }

  public void stop() {
    if (server != null) server.stop(0);
  }

  private static final java.util.concurrent.ScheduledExecutorService LATE = Executors.newScheduledThreadPool(2, r -> {
    Thread thread = new Thread(r, "simulator-late-answers");
    thread.setDaemon(true);
    return thread;
  });

  private void serve(HttpExchange exchange) throws IOException {
    Answer answer;
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), parse(rawQuery),
          Map.copyOf(exchange.getRequestHeaders()), body);
      calls.add(call);
      answer = null;
      for (Route route : routes) {
        Matcher matcher = route.path().matcher(call.path());
        if (route.method().equals(call.method()) && matcher.matches()) {
          answer = route.handler().handle(call, matcher);
          break;
        }
      }
      if (answer == null) answer = Answer.json(404, Map.of("error", "no route " + call.method() + " " + call.path()));
    } catch (RuntimeException e) {
      e.printStackTrace();
      answer = Answer.json(500, Map.of("error", String.valueOf(e)));
    }
    Answer toSend = answer;
    // A late answer: the work is done (the post exists) but the caller's timeout fires before the answer arrives.
    if (toSend.delayMs() > 0) LATE.schedule(() -> send(exchange, toSend), toSend.delayMs(), TimeUnit.MILLISECONDS);
    else send(exchange, toSend);
  }

  private static void send(HttpExchange exchange, Answer answer) {
    try (exchange) {
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
      if (answer.body().length > 0) exchange.getResponseBody().write(answer.body());
    } catch (IOException closedByCaller) {
      // the caller gave up (timeout): nothing to do
    }
  }

  static Map<String, String> parse(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) return values;
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.merge(key, value, (a, b) -> a + "," + b);
    }
    return values;
  }

  protected static String bearer(Call call) {
    String header = call.header("Authorization");
    return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
  }
}
