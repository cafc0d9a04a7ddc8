package dev.postflow.posts.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An S3-compatible bucket for tests: path-style PUT, GET and DELETE of objects, every request's Signature V4 checked
 * (with the signer proven against AWS's published examples in SigV4Test), in its Authorization header or in a presigned
 * URL's query (whose signed headers, a PUT's Content-Type and Content-Length, must be the ones sent); a wrong signature
 * answers 403 SignatureDoesNotMatch as S3 does, an expired presigned URL 403 AccessDenied.
 */
public class S3Simulator implements QuarkusTestResourceLifecycleManager {
  public static final String ACCESS = "AKIATESTPOSTFLOW";
  public static final String SECRET = "test/secret/key";
  public static final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  /** Objects PUT through presigned URLs (which never pass through posts-api). */
  public static final java.util.concurrent.atomic.AtomicInteger presignedPuts = new java.util.concurrent.atomic.AtomicInteger();
  private static volatile String endpoint;
  private HttpServer server;

  public static String endpoint() {
    return endpoint;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    return Map.of("postflow.media.storage", "s3", "postflow.media.s3.endpoint", endpoint,
        "postflow.media.s3.bucket", "postflow-media", "postflow.media.s3.access-key", ACCESS, "postflow.media.s3.secret-key", SECRET);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null && query.contains("X-Amz-Signature=")) {
        String refusal = presignedRefusal(exchange, path, query);
        if (refusal != null) {
          reply(exchange, 403, refusal.getBytes());
          return;
        }
        if (!exchange.getRequestMethod().equals("PUT")) {
          reply(exchange, 405, new byte[0]);
          return;
        }
        objects.put(path, body);
        presignedPuts.incrementAndGet();
        reply(exchange, 200, new byte[0]);
        return;
      }
      String given = exchange.getRequestHeaders().getFirst("Authorization");
      String amzDate = exchange.getRequestHeaders().getFirst("x-amz-date");
      String payload = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("host", exchange.getRequestHeaders().getFirst("Host"));
      headers.put("x-amz-content-sha256", payload);
      headers.put("x-amz-date", amzDate);
      String expected = amzDate == null || payload == null ? null
          : SigV4.authorization(exchange.getRequestMethod(), path, "", headers, payload, amzDate, "us-east-1", ACCESS, SECRET);
      if (expected == null || !expected.equals(given)) {
        reply(exchange, 403, "<Error><Code>SignatureDoesNotMatch</Code></Error>".getBytes());
        return;
      }
      switch (exchange.getRequestMethod()) {
        case "PUT" -> {
          objects.put(path, body);
          reply(exchange, 200, new byte[0]);
        }
        case "GET" -> {
          byte[] object = objects.get(path);
          if (object == null) reply(exchange, 404, "<Error><Code>NoSuchKey</Code></Error>".getBytes());
          else reply(exchange, 200, object);
        }
        case "DELETE" -> {
          objects.remove(path);
          reply(exchange, 204, new byte[0]);
        }
        default -> reply(exchange, 405, new byte[0]);
      }
    }
  }

  /** Null when the presigned URL's signature is right for this request and has not expired; else S3's error. */
  private static String presignedRefusal(HttpExchange exchange, String path, String rawQuery) {
    Map<String, String> query = new java.util.TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      query.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    String amzDate = query.get("X-Amz-Date");
    java.time.Instant signedAt = java.time.LocalDateTime.parse(amzDate, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
        .toInstant(java.time.ZoneOffset.UTC);
    long expires = Long.parseLong(query.get("X-Amz-Expires"));
    if (java.time.Instant.now().isAfter(signedAt.plusSeconds(expires))) return "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : query.get("X-Amz-SignedHeaders").split(";")) {
      String value = exchange.getRequestHeaders().getFirst(name);
      headers.put(name, value == null ? "" : value);
    }
    String expected = SigV4.presignedQuery(exchange.getRequestMethod(), path, headers, amzDate, expires, "us-east-1", ACCESS, SECRET);
    return expected.endsWith("&X-Amz-Signature=" + query.get("X-Amz-Signature")) ? null
        : "<Error><Code>SignatureDoesNotMatch</Code></Error>";
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) exchange.getResponseBody().write(body);
  }

  @Override
  public void stop() {
    if (server != null) server.stop(0);
  }
}
