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
 * (with the signer proven against AWS's published example in SigV4Test); a wrong signature answers 403
 * SignatureDoesNotMatch as S3 does.
 */
public class S3Simulator implements QuarkusTestResourceLifecycleManager {
  public static final String ACCESS = "AKIATESTPOSTFLOW";
  public static final String SECRET = "test/secret/key";
  public static final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
    return Map.of("postflow.media.storage", "s3", "postflow.media.s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
        "postflow.media.s3.bucket", "postflow-media", "postflow.media.s3.access-key", ACCESS, "postflow.media.s3.secret-key", SECRET);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
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

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) exchange.getResponseBody().write(body);
  }

  @Override
  public void stop() {
    if (server != null) server.stop(0);
  }
}
