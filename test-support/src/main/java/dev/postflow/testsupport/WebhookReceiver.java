package dev.postflow.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** A webhook receiver on loopback that records every request; answers 200 unless told to answer otherwise first. */
public final class WebhookReceiver implements AutoCloseable {
  /** One received request; header names are lower-case. */
  public record Received(Map<String, List<String>> headers, String body, Instant receivedAt) {
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Reply> nextReplies = new ArrayDeque<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean blackHole;

  /** A status and extra response headers. */
  public record Reply(int status, Map<String, String> headers) {}

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Instant.now()));
        if (blackHole) {
          awaitClose(); // holds the connection open and never answers
          return;
        }
        Reply reply;
        synchronized (nextReplies) {
          reply = nextReplies.isEmpty() ? new Reply(200, Map.of()) : nextReplies.poll();
        }
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  /** The next requests are answered with these statuses, in order; then 200 again. */
  public void answerNext(Integer... statuses) {
    synchronized (nextReplies) {
      for (Integer status : statuses) nextReplies.add(new Reply(status, Map.of()));
    }
  }

  /** The next request is answered with this status and headers (e.g. 429 with Retry-After). */
  public void answerNext(int status, Map<String, String> headers) {
    synchronized (nextReplies) {
      nextReplies.add(new Reply(status, headers));
    }
  }

  /** From now on every request is read and recorded but never answered: the connection hangs until close(). */
  public void blackHole() {
    blackHole = true;
  }

  private void awaitClose() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
