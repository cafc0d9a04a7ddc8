package dev.postflow.webhooks.delivery;

import dev.postflow.contract.ShortWork;
import dev.postflow.contract.WorkerLoop;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.webhooks.signing.WebhookSigner;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Delivers pending webhooks: a dispatcher claims due deliveries (leased) for the idle sender threads; a sender signs
 * one, POSTs it, records the attempt, then finishes it or schedules the next try. Any non-2xx answer, a redirect included, is a failure; 410 disables the
 * endpoint. Each endpoint gets at most a few senders at a time, so a slow or dead endpoint cannot hold up the others.
 */
@ApplicationScoped
public class WebhookSenders {
  @Inject SecretCipher cipher;
  @Inject AddressPolicy addressPolicy;
  @Inject AttemptRecorder recorder;

  @ConfigProperty(name = "postflow.webhooks.timeout")
  Duration timeout;

  @ConfigProperty(name = "postflow.webhooks.senders")
  int senders;

  @ConfigProperty(name = "postflow.webhooks.per-endpoint-concurrency")
  int perEndpoint;

  @ConfigProperty(name = "postflow.webhooks.retry-schedule")
  List<Duration> retrySchedule;

  @Inject ShortWork shortWork;

  @ConfigProperty(name = "postflow.webhooks.max-retry-after")
  Duration maxRetryAfter;

  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private WorkerLoop dispatcher;
  private ExecutorService pool;
  private WebhookHttp http;

  void start(@Observes StartupEvent event) {
    http = new WebhookHttp(addressPolicy, timeout, perEndpoint);
    pool = Executors.newFixedThreadPool(senders, runnable -> {
      Thread thread = new Thread(runnable, "webhook-sender");
      thread.setDaemon(true);
      return thread;
    });
    dispatcher = new WorkerLoop("webhook-dispatcher", 1, this::dispatch);
    dispatcher.start();
  }

  /** Graceful shutdown: no new claims; senders finish the deliveries in hand (their attempts are recorded). */
  void stop(@Observes ShutdownEvent event) throws Exception {
    dispatcher.stop(Duration.ofSeconds(5));
    pool.shutdown();
    pool.awaitTermination(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    recorder.flushAndStop();
    http.close();
  }

  public void wake() {
    dispatcher.wake();
  }

  /**
   * One round of the dispatcher: claim due deliveries (in one statement) to keep the senders busy, with at most as
   * many again waiting in their queue, and hand them over. Returns how long to wait: 0 to go on at once, else until
   * the next delivery is due; a sender that frees up capacity, or a new delivery, wakes us earlier.
   */
  long dispatch() throws Exception {
    int room = 2 * senders - active.get();
    if (room < senders / 2) return 1000;
    List<DeliveryRepository.Claimed> claimed = shortWork.run(connection -> {
      // A snapshot: senders only lower these counts meanwhile, so the claim never takes more than an endpoint has room for.
      List<DeliveryRepository.Claimed> due = DeliveryRepository.claimDue(connection, timeout.toSeconds() + 30, Map.copyOf(inFlight), perEndpoint,
          Math.min(room, 200));
      for (DeliveryRepository.Claimed delivery : due) {
        if (!"enabled".equals(delivery.endpointStatus())) DeliveryRepository.finishUnsent(connection, delivery.id());
      }
      return due;
    });
    for (DeliveryRepository.Claimed delivery : claimed) {
      if (!"enabled".equals(delivery.endpointStatus())) continue;
      active.incrementAndGet();
      inFlight.merge(delivery.endpointId(), 1, Integer::sum);
      pool.execute(() -> {
        boolean wasFull = false;
        try {
          send(delivery);
        } catch (Exception e) {
          Log.warnf(e, "webhook delivery %s could not be sent; it is retried after its lease", delivery.id());
        } finally {
          wasFull = inFlight.getOrDefault(delivery.endpointId(), 0) >= perEndpoint;
          inFlight.computeIfPresent(delivery.endpointId(), (id, n) -> n == 1 ? null : n - 1);
          // Wake the dispatcher when the queue has room again, or when this endpoint may take another delivery.
          if (active.decrementAndGet() == senders || wasFull) dispatcher.wake();
        }
      });
    }
    return claimed.size() >= Math.min(room, 200) ? 0 : nextWait();
  }

  private void send(DeliveryRepository.Claimed delivery) {
    long timestamp = Instant.now().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", delivery.eventId());
    headers.put("webhook-timestamp", String.valueOf(timestamp));
    headers.put("webhook-signature", signatures(delivery, timestamp));
    Instant attemptedAt = Instant.now();
    WebhookHttp.Answer answer = http.post(delivery.url(), headers, delivery.payload());
    long durationMs = Duration.between(attemptedAt, Instant.now()).toMillis();
    Integer status = answer.statusCode();
    boolean success = status != null && status >= 200 && status < 300;
    boolean gone = Integer.valueOf(410).equals(status);
    String outcome;
    Instant next = null;
    if (success) {
      outcome = "succeeded";
    } else if (gone || !delivery.retries() || delivery.attempt() > retrySchedule.size()) {
      outcome = "failed";
    } else {
      outcome = "pending";
      next = Instant.now().plus(nextDelay(delivery.attempt(), status, answer.retryAfter()));
    }
    Log.debugf("webhook %s attempt %d to %s: %s", delivery.eventId(), delivery.attempt(), delivery.url(),
        success ? "delivered" : status + " " + answer.error());
    recorder.record(new DeliveryRepository.Attempt(delivery, attemptedAt, status, durationMs, answer.body(), success, answer.error(),
        outcome, next));
  }

  /** Standard Webhooks: one signature per valid secret, space-separated (the old secret signs for 24 h after a rotation). */
  private String signatures(DeliveryRepository.Claimed delivery, long timestamp) {
    String signature = WebhookSigner.sign(cipher.decrypt(delivery.secret()), delivery.eventId(), timestamp, delivery.payload());
    if (delivery.previousSecret() != null && delivery.previousSecretExpiresAt() != null
        && delivery.previousSecretExpiresAt().isAfter(Instant.now())) {
      signature += " " + WebhookSigner.sign(cipher.decrypt(delivery.previousSecret()), delivery.eventId(), timestamp, delivery.payload());
    }
    return signature;
  }

  /** The schedule's next delay with +-10% jitter, or the receiver's Retry-After (on 429 and 503) within bounds. */
  Duration nextDelay(int attempt, Integer status, String retryAfter) {
    if (retryAfter != null && (Integer.valueOf(429).equals(status) || Integer.valueOf(503).equals(status))) {
      Duration asked = parseRetryAfter(retryAfter);
      if (asked != null) {
        if (asked.compareTo(Duration.ofSeconds(1)) < 0) return Duration.ofSeconds(1);
        return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
      }
    }
    long millis = retrySchedule.get(attempt - 1).toMillis();
    return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(-millis / 10, millis / 10 + 1));
  }

  /** Retry-After is either seconds or an HTTP date. */
  static Duration parseRetryAfter(String value) {
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException notSeconds) {
      try {
        return Duration.between(Instant.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (Exception notADate) {
        return null;
      }
    }
  }

  private long nextWait() {
    try {
      long millis = shortWork.run(DeliveryRepository::millisUntilNextDue);
      // none pending, or due only for endpoints that have their share of senders (a finishing sender wakes us)
      return millis <= 0 ? 1000 : Math.min(millis, 1000);
    } catch (Exception e) {
      return 1000;
    }
  }
}
