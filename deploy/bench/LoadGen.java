// Postflow load generator: JDK only, run with `java deploy/bench/LoadGen.java <mode> ...` (no build step).
//
//   create  URL KEY ACCOUNT RATE SECONDS CONNECTIONS   POST /v1/posts at RATE/s over CONNECTIONS keep-alive connections;
//                                                      prints throughput and latency (from each intended send time)
//   due     URL KEY ADMIN ACCOUNTS COUNT LEAD_SECONDS  COUNT posts due at one instant, spread over the comma-separated
//                                                      ACCOUNTS; prints hand-over and lateness (counts the
//                                                      sandbox's rows with psql while it waits: POSTFLOW_DB_PORT)
//   steady  URL KEY ADMIN ACCOUNTS RATE SECONDS LEAD   RATE posts due per second for SECONDS, starting LEAD seconds
//                                                      from now; prints end-to-end lateness (sandbox received_at -
//                                                      scheduled_at) p50/p99/p99.9/max and the early count
//   webhooks URL KEY ACCOUNT RECEIVERS RATE SECONDS BLACKHOLED
//                                                      RECEIVERS local webhook receivers subscribed to every event
//                                                      (BLACKHOLED of them accept and never answer); RATE posts/s for
//                                                      SECONDS each fan out to all; prints deliveries/s and event ->
//                                                      delivery latency at the healthy receivers
//
// Traffic goes only to URL (a local Postflow); every loop is bounded in count and time.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class LoadGen {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newFixedThreadPool(8)).build();

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "create" -> create(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
      case "due" -> due(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]));
      case "steady" -> steady(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]),
          Integer.parseInt(args[7]));
      case "webhooks" -> webhooks(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
          Integer.parseInt(args[6]), Integer.parseInt(args[7]));
      default -> throw new IllegalArgumentException("mode: create | due | webhooks");
    }
    System.exit(0);
  }

  static HttpRequest post(String url, String key, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /**
   * Fixed rate, CONCURRENCY keep-alive connections, latency measured from each request's intended send time (a
   * request that waits for a free connection counts its wait). Plain sockets, so the generator itself costs little
   * CPU on the machine it shares with the system under test.
   */
  static void create(String url, String key, String account, int rate, int seconds, int concurrency) throws Exception {
    String at = Instant.now().plus(Duration.ofDays(300)).toString(); // far ahead: bench posts never become due
    URI uri = URI.create(url);
    // Each post its own text: the same text to the same account at the same time would be refused as a duplicate.
    long run = System.currentTimeMillis();
    java.util.function.LongFunction<byte[]> request = n -> {
      String body = "{\"text\":\"load " + run + "-" + n + "\",\"account_ids\":[\"" + account + "\"],\"scheduled_at\":\"" + at + "\"}";
      return ("POST /v1/posts HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    };
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime() + 50_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      Thread worker = new Thread(() -> {
        java.net.Socket socket = null;
        java.io.InputStream in = null;
        for (int i; (i = next.getAndIncrement()) < total; ) {
          long intended = start + (long) (i * 1e9 / rate);
          long wait = intended - System.nanoTime();
          if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
          try {
            if (socket == null) {
              socket = new java.net.Socket(uri.getHost(), uri.getPort());
              socket.setTcpNoDelay(true);
              in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
            }
            socket.getOutputStream().write(request.apply(i));
            if (readResponse(in) != 201) errors.incrementAndGet();
          } catch (java.io.IOException e) {
            errors.incrementAndGet();
            try { if (socket != null) socket.close(); } catch (java.io.IOException ignored) { }
            socket = null;
          }
          latencies[i] = System.nanoTime() - intended;
        }
        try { if (socket != null) socket.close(); } catch (java.io.IOException ignored) { }
      });
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) worker.join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(total);
    for (long latency : latencies) sorted.add(latency);
    Collections.sort(sorted);
    System.out.printf("create: offered %d/s for %d s, completed %d in %.1f s = %.0f/s, errors %d%n",
        rate, seconds, total, elapsed, total / elapsed, errors.get());
    System.out.printf("create latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
  }

  /** Reads one HTTP/1.1 response (Content-Length or chunked body) and returns its status. */
  static int readResponse(java.io.InputStream in) throws java.io.IOException {
    String status = readLine(in);
    if (status == null) throw new java.io.EOFException("connection closed");
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = 0;
    boolean chunked = false;
    for (String line; !(line = readLine(in)).isEmpty(); ) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
    }
    if (!chunked) {
      in.skipNBytes(length);
      return code;
    }
    for (long size; (size = Long.parseLong(readLine(in).trim(), 16)) > 0; ) {
      in.skipNBytes(size);
      readLine(in);
    }
    readLine(in);
    return code;
  }

  static String readLine(java.io.InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) return line.isEmpty() ? null : line.toString();
      if (b != '\r') line.append((char) b);
    }
    return line.toString();
  }

  /** COUNT posts due at the same instant; then reads the sandbox's record to measure the hand-over. */
  static void due(String url, String key, String admin, String accountList, int count, int leadSeconds) throws Exception {
    Instant dueAt = Instant.now().plusSeconds(leadSeconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String[] accounts = accountList.split(",");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Instant creationStarted = Instant.now();
    java.util.Set<String> targets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger created = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      String body = "{\"text\":\"due together " + i + "\",\"account_ids\":[\"" + accounts[i % accounts.length] + "\"],\"scheduled_at\":\"" + dueAt + "\"}";
      pool.submit(() -> {
        try {
          HttpResponse<String> r = HTTP.send(post(url + "/v1/posts", key, body), HttpResponse.BodyHandlers.ofString());
          Matcher m = TARGET_ID.matcher(r.body());
          if (r.statusCode() == 201 && m.find()) {
            targets.add(m.group(1));
            created.incrementAndGet();
          }
        } catch (Exception e) {
          System.err.println("create failed: " + e);
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(leadSeconds, TimeUnit.SECONDS);
    System.out.printf("due: created %d posts due at %s (creation finished %d s before)%n", created.get(), dueAt,
        Duration.between(Instant.now(), dueAt).toSeconds());
    if (Instant.now().isAfter(dueAt)) System.out.println("WARNING: creation ran past the due time; use a longer lead");

    SandboxRecord record = new SandboxRecord(creationStarted);
    long deadline = System.nanoTime() + Duration.ofSeconds(leadSeconds + 600L).toNanos();
    // While the burst runs, only a count of the sandbox's rows for this run's accounts; the record is read once, at
    // the end. Reading it through the API every second (as before 2026-12-05) loaded posts-api and PostgreSQL with
    // the benchmark's own work in the window it measures: about 10 % fewer publishes/s (docs/performance.md).
    while (record.countStored(accounts) < targets.size() && System.nanoTime() < deadline) {
      Thread.sleep(1000); // poll interval of this benchmark client
    }
    record.finish(url, admin);
    List<Instant> received = new ArrayList<>();
    for (String target : targets) if (record.received.containsKey(target)) received.add(record.received.get(target));
    Collections.sort(received);
    List<Long> lateness = new ArrayList<>();
    long early = 0;
    for (Instant r : received) {
      long ms = Duration.between(dueAt, r).toMillis();
      if (ms < 0) early++;
      lateness.add(ms * 1_000_000);
    }
    double span = received.isEmpty() ? 0 : Duration.between(dueAt, received.get(received.size() - 1)).toMillis() / 1000.0;
    System.out.printf("due: %d of %d published; due -> last publish %.1f s = %.0f publishes/s; early %d%n",
        received.size(), created.get(), span, received.size() / Math.max(span, 0.001), early);
    System.out.printf("due: lateness ms p50 %.0f  p99 %.0f  max %.0f%n", pct(lateness, 50), pct(lateness, 99),
        lateness.isEmpty() ? 0 : lateness.get(lateness.size() - 1) / 1e6);
  }

  /** RATE posts due per second for SECONDS; each post's lateness from the sandbox's own record. */
  static void steady(String url, String key, String admin, String accountList, int rate, int seconds, int leadSeconds) throws Exception {
    Instant first = Instant.now().plusSeconds(leadSeconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String[] accounts = accountList.split(",");
    int count = rate * seconds;
    java.util.Map<String, Instant> dueByTarget = new java.util.concurrent.ConcurrentHashMap<>();
    Instant creationStarted = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    for (int i = 0; i < count; i++) {
      Instant due = first.plusNanos((long) (i * 1e9 / rate));
      String body = "{\"text\":\"steady " + i + "\",\"account_ids\":[\"" + accounts[i % accounts.length] + "\"],\"scheduled_at\":\"" + due + "\"}";
      pool.submit(() -> {
        try {
          HttpResponse<String> r = HTTP.send(post(url + "/v1/posts", key, body), HttpResponse.BodyHandlers.ofString());
          Matcher m = TARGET_ID.matcher(r.body());
          if (r.statusCode() == 201 && m.find()) dueByTarget.put(m.group(1), due);
        } catch (Exception e) {
          System.err.println("create failed: " + e);
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(leadSeconds, TimeUnit.SECONDS);
    System.out.printf("steady: %d posts due from %s to %s (%d/s); creation finished %d s before the first%n", dueByTarget.size(), first,
        first.plusSeconds(seconds), rate, Duration.between(Instant.now(), first).toSeconds());
    if (Instant.now().isAfter(first)) System.out.println("WARNING: creation ran past the first due time; use a longer lead");
    SandboxRecord record = new SandboxRecord(creationStarted);
    long deadline = System.nanoTime() + Duration.ofSeconds(leadSeconds + seconds + 900L).toNanos();
    // Not read while posts are due: reading the record is work for posts-api, which would be measured with the rest.
    Duration untilWindowEnd = Duration.between(Instant.now(), first.plusSeconds(seconds));
    if (!untilWindowEnd.isNegative()) Thread.sleep(untilWindowEnd.toMillis());
    while (record.countOf(dueByTarget.keySet()) < dueByTarget.size() && System.nanoTime() < deadline) {
      record.poll(url, admin);
      if (record.countOf(dueByTarget.keySet()) < dueByTarget.size()) Thread.sleep(2000); // poll interval of this client
    }
    record.finish(url, admin);
    java.util.Map<String, Instant> received = record.received;
    List<Long> lateness = new ArrayList<>();
    long early = 0;
    for (var e : received.entrySet()) {
      Instant due = dueByTarget.get(e.getKey());
      if (due == null) continue;
      long nanos = Duration.between(due, e.getValue()).toNanos();
      if (nanos < 0) early++;
      lateness.add(nanos);
    }
    Collections.sort(lateness);
    System.out.printf("steady: %d of %d published; early %d; lateness ms p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f%n", lateness.size(),
        dueByTarget.size(), early, pct(lateness, 50), pct(lateness, 99), pct999(lateness),
        lateness.isEmpty() ? 0 : lateness.get(lateness.size() - 1) / 1e6);
    System.out.printf("steady: window %s %s%n", first, first.plusSeconds(seconds));
  }

  static double pct999(List<Long> sortedNanos) {
    if (sortedNanos.isEmpty()) return 0;
    return sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.ceil(0.999 * sortedNanos.size()) - 1)) / 1e6;
  }

  /** Fan-out: every post creates a post.scheduled event, delivered to every receiver. */
  static void webhooks(String url, String key, String account, int receivers, int rate, int seconds, int blackHoled) throws Exception {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> warmupLatencies = new ConcurrentLinkedQueue<>();
    long[] measureFrom = {Long.MAX_VALUE}; // events before this (the first 10 s: JIT warm-up of every JVM) are reported apart
    AtomicInteger delivered = new AtomicInteger();
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong lastDelivery = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Pattern timestamp = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    ExecutorService healthyPool = Executors.newFixedThreadPool(32);
    List<com.sun.net.httpserver.HttpServer> servers = new ArrayList<>();
    List<String> endpointIds = new ArrayList<>();
    try {
      for (int i = 0; i < receivers; i++) {
        boolean dead = i < blackHoled;
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(dead ? Executors.newCachedThreadPool() : healthyPool);
        int receiver = i;
        server.createContext("/", exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          if (dead) {
            try {
              done.await(); // black hole: hold the connection, never answer
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          long now = System.currentTimeMillis();
          Matcher m = timestamp.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
          if (m.find()) {
            long eventAt = Instant.parse(m.group(1)).toEpochMilli();
            (eventAt < measureFrom[0] ? warmupLatencies : latencies).add((now - eventAt) * 1_000_000);
          }
          if (!seen.add(receiver + "/" + exchange.getRequestHeaders().getFirst("webhook-id"))) duplicates.incrementAndGet();
          delivered.incrementAndGet();
          lastDelivery.set(System.nanoTime());
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
        server.start();
        servers.add(server);
        String answer = HTTP.send(post(url + "/v1/webhooks", key, "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort()
            + "/hook\",\"events\":[\"*\"],\"description\":\"bench receiver " + i + "\"}"), HttpResponse.BodyHandlers.ofString()).body();
        Matcher id = Pattern.compile("\"id\":\"(whe_[^\"]+)\"").matcher(answer);
        if (!id.find()) throw new IllegalStateException("webhook registration failed: " + answer);
        endpointIds.add(id.group(1));
      }
      String at = Instant.now().plusSeconds(86_400 * 2).toString();
      int total = rate * seconds;
      AtomicInteger created = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      long start = System.nanoTime();
      measureFrom[0] = System.currentTimeMillis() + 10_000;
      List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        long intended = start + (long) (i * 1e9 / rate);
        while (System.nanoTime() < intended) Thread.sleep(1); // pacing of this load generator
        String body = "{\"text\":\"fan-out " + i + "\",\"account_ids\":[\"" + account + "\"],\"scheduled_at\":\"" + at + "\"}";
        calls.add(HTTP.sendAsync(post(url + "/v1/posts", key, body), HttpResponse.BodyHandlers.discarding())
            .handle((r, e) -> r != null && r.statusCode() == 201 ? created.incrementAndGet() : failed.incrementAndGet()));
      }
      java.util.concurrent.CompletableFuture.allOf(calls.toArray(java.util.concurrent.CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      if (failed.get() > 0) System.out.printf("webhooks: %d post creations failed (their events are not expected)%n", failed.get());
      int expected = created.get() * (receivers - blackHoled);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (delivered.get() < expected && System.nanoTime() < deadline) Thread.sleep(100); // poll interval of this client
      double span = (lastDelivery.get() - start) / 1e9;
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf("webhooks: %d receivers (%d black-holed), %d events at %d/s -> %d of %d deliveries to healthy receivers in %.1f s"
              + " = %.0f deliveries/s, duplicates %d%n", receivers, blackHoled, created.get(), rate, delivered.get(), expected, span,
          delivered.get() / span, duplicates.get());
      System.out.printf("webhooks: event -> delivery ms after the first 10 s: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f (%d deliveries)%n",
          pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6, sorted.size());
      List<Long> warm = new ArrayList<>(warmupLatencies);
      Collections.sort(warm);
      System.out.printf("webhooks: event -> delivery ms in the first 10 s (warm-up): p50 %.0f  p99 %.0f  max %.0f%n",
          pct(warm, 50), pct(warm, 99), warm.isEmpty() ? 0 : warm.get(warm.size() - 1) / 1e6);
    } finally {
      done.countDown();
      for (String id : endpointIds) {
        HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/webhooks/" + id)).header("Authorization", "Bearer " + key).DELETE().build(),
            HttpResponse.BodyHandlers.discarding());
      }
      servers.forEach(server -> server.stop(0));
      healthyPool.shutdownNow();
    }
  }

  static final Pattern TARGET_ID = Pattern.compile("\"targets\":\\[\\{\"id\":\"(tgt_[^\"]+)\"");

  /**
   * The sandbox's own record of what was published (target id -> received_at), read incrementally so the benchmark's
   * polling loads the system it measures as little as possible: ids start with their creation time (like a ULID), so
   * each round reads only rows from 3 s before the previous round on (the margin catches rows that committed out of id
   * order). {@link #finish} then reads the whole run once more, so a row the margin missed is still counted.
   */
  static final class SandboxRecord {
    private static final Pattern ROW = Pattern.compile("\"target_id\":\"(tgt_[^\"]+)\"[^}]*?\"received_at\":\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");
    final java.util.Map<String, Instant> received = new java.util.HashMap<>();
    private final long runStartMillis;
    private long fromMillis;

    SandboxRecord(Instant from) {
      runStartMillis = from.toEpochMilli() - 10_000;
      fromMillis = runStartMillis;
    }

    /** Reads what arrived since the last round (with the margin). */
    void poll(String url, String admin) throws Exception {
      long started = System.currentTimeMillis();
      read(url, admin, fromMillis);
      fromMillis = started - 3_000;
    }

    /** Reads the whole run again: the record the results are computed from. */
    void finish(String url, String admin) throws Exception {
      read(url, admin, runStartMillis);
    }

    private void read(String url, String admin, long sinceMillis) throws Exception {
      String cursor = "sbx_" + timePrefix(sinceMillis) + "0000000000000000";
      do {
        String page = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/sandbox/posts?limit=1000&cursor=" + cursor))
            .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = ROW.matcher(page);
        while (m.find()) received.putIfAbsent(m.group(1), Instant.parse(m.group(2)));
        Matcher n = NEXT.matcher(page);
        cursor = n.find() ? n.group(1) : null;
      } while (cursor != null);
    }

    /** How many posts the sandbox has stored for these accounts in this run's window (the one {@link #finish} reads). */
    long countStored(String[] accounts) throws Exception {
      String sql = "select count(*) from posts.sandbox_post where account_id in ('" + String.join("','", accounts)
          + "') and id >= 'sbx_" + timePrefix(runStartMillis) + "'";
      ProcessBuilder psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p",
          java.util.Objects.requireNonNullElse(System.getenv("POSTFLOW_DB_PORT"), "5432"), "-U", "postflow", "-d", "postflow",
          "-Atc", sql).redirectErrorStream(true);
      psql.environment().put("PGPASSWORD", java.util.Objects.requireNonNullElse(System.getenv("POSTFLOW_DB_PASSWORD"), "postflow"));
      Process p = psql.start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0) throw new IllegalStateException("psql: " + out);
      return Long.parseLong(out);
    }

    long countOf(java.util.Collection<String> targets) {
      return targets.stream().filter(received::containsKey).count();
    }

    /** The first 10 characters of an id made at {@code millis}: 48 bits of time in Crockford base32. */
    static String timePrefix(long millis) {
      char[] alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
      char[] out = new char[10];
      for (int i = 9; i >= 0; i--) {
        out[i] = alphabet[(int) (millis & 31)];
        millis >>>= 5;
      }
      return new String(out);
    }
  }

  static double pct(List<Long> sortedNanos, int p) {
    if (sortedNanos.isEmpty()) return 0;
    return sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1)) / 1e6;
  }
}
