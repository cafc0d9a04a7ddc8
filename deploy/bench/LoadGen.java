// Postflow load generator: JDK only, run with `java deploy/bench/LoadGen.java <mode> ...` (no build step).
//
//   create  URL KEY ACCOUNT RATE SECONDS CONCURRENCY   open-loop POST /v1/posts at RATE/s; prints throughput and latency
//   due     URL KEY ADMIN ACCOUNTS COUNT LEAD_SECONDS  COUNT posts due at one instant, spread over the comma-separated
//                                                      ACCOUNTS; prints hand-over and lateness
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
import java.util.concurrent.Semaphore;
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
      default -> throw new IllegalArgumentException("mode: create | due");
    }
    System.exit(0);
  }

  static HttpRequest post(String url, String key, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** Open loop at a fixed rate, at most CONCURRENCY in flight; latency measured from the intended send time. */
  static void create(String url, String key, String account, int rate, int seconds, int concurrency) throws Exception {
    String at = Instant.now().plusSeconds(86_400).toString();
    String body = "{\"text\":\"load\",\"account_ids\":[\"" + account + "\"],\"scheduled_at\":\"" + at + "\"}";
    Semaphore inFlight = new Semaphore(concurrency);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    int total = rate * seconds;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long intended = start + (long) (i * 1e9 / rate);
      long now;
      while ((now = System.nanoTime()) < intended) {
        if (intended - now > 2_000_000) Thread.sleep(1); else Thread.onSpinWait();
      }
      if (!inFlight.tryAcquire(2, TimeUnit.SECONDS)) {
        dropped.incrementAndGet();
        continue;
      }
      HTTP.sendAsync(post(url + "/v1/posts", key, body), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
        latencies.add(System.nanoTime() - intended);
        if (failure != null || response.statusCode() != 201) errors.incrementAndGet();
        inFlight.release();
      });
    }
    inFlight.acquire(concurrency);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf("create: offered %d/s for %d s, completed %d in %.1f s = %.0f/s, errors %d, not sent (too many in flight) %d%n",
        rate, seconds, sorted.size(), elapsed, sorted.size() / elapsed, errors.get(), dropped.get());
    System.out.printf("create latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
  }

  /** COUNT posts due at the same instant; then reads the sandbox's record to measure the hand-over. */
  static void due(String url, String key, String admin, String accountList, int count, int leadSeconds) throws Exception {
    Instant dueAt = Instant.now().plusSeconds(leadSeconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String[] accounts = accountList.split(",");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger created = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      String body = "{\"text\":\"due together\",\"account_ids\":[\"" + accounts[i % accounts.length] + "\"],\"scheduled_at\":\"" + dueAt + "\"}";
      pool.submit(() -> {
        try {
          if (HTTP.send(post(url + "/v1/posts", key, body), HttpResponse.BodyHandlers.discarding()).statusCode() == 201) created.incrementAndGet();
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

    List<Instant> received = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(leadSeconds + 600L).toNanos();
    while (received.size() < created.get() && System.nanoTime() < deadline) {
      received = new ArrayList<>();
      for (String account : accounts) received.addAll(sandboxReceivedAt(url, admin, account));
      if (received.size() < created.get()) Thread.sleep(1000); // poll interval of this benchmark client
    }
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

  static List<Instant> sandboxReceivedAt(String url, String admin, String account) throws Exception {
    List<Instant> all = new ArrayList<>();
    Pattern receivedAt = Pattern.compile("\"received_at\":\"([^\"]+)\"");
    Pattern next = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");
    String cursor = null;
    do {
      String query = url + "/v1/sandbox/posts?limit=1000&account_id=" + account + (cursor == null ? "" : "&cursor=" + cursor);
      String page = HTTP.send(HttpRequest.newBuilder(URI.create(query)).header("Authorization", "Bearer " + admin).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = receivedAt.matcher(page);
      while (m.find()) all.add(Instant.parse(m.group(1)));
      Matcher n = next.matcher(page);
      cursor = n.find() ? n.group(1) : null;
    } while (cursor != null);
    return all;
  }

  static double pct(List<Long> sortedNanos, int p) {
    if (sortedNanos.isEmpty()) return 0;
    return sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1)) / 1e6;
  }
}
