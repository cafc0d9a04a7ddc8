package dev.postflow.webhooks.delivery;

import dev.postflow.contract.WorkerLoop;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.webhooks.signing.WebhookSigner;
import io.agroal.api.AgroalDataSource;
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
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sender threads that deliver pending webhooks: claim one (leased), sign it, POST it, record the attempt, then
 * finish it or schedule the next try. Any non-2xx answer, a redirect included, is a failure; 410 disables the
 * endpoint. Each endpoint gets at most a few senders at a time, so a slow or dead endpoint cannot hold up the others.
 */
@ApplicationScoped
public class WebhookSenders {
  @Inject AgroalDataSource dataSource;
  @Inject SecretCipher cipher;
  @Inject AddressPolicy addressPolicy;
  @Inject EndpointDisabler disabler;

  @ConfigProperty(name = "postflow.webhooks.timeout")
  Duration timeout;

  @ConfigProperty(name = "postflow.webhooks.senders")
  int senders;

  @ConfigProperty(name = "postflow.webhooks.per-endpoint-concurrency")
  int perEndpoint;

  @ConfigProperty(name = "postflow.webhooks.retry-schedule")
  List<Duration> retrySchedule;

  @ConfigProperty(name = "postflow.webhooks.max-retry-after")
  Duration maxRetryAfter;

  @ConfigProperty(name = "postflow.webhooks.disable-after")
  Duration disableAfter;

  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
  private WorkerLoop workers;
  private WebhookHttp http;

  void start(@Observes StartupEvent event) {
    http = new WebhookHttp(addressPolicy, timeout, perEndpoint);
    workers = new WorkerLoop("webhook-sender", senders, () -> deliverOne() ? 0 : nextWait());
    workers.start();
  }

  /** Graceful shutdown: senders finish the delivery in hand (its attempt is recorded) and stop. */
  void stop(@Observes ShutdownEvent event) throws Exception {
    workers.stop(timeout.plusSeconds(5));
    http.close();
  }

  public void wake() {
    workers.wake();
  }

  /** Delivers one due delivery; false when none was due. */
  boolean deliverOne() throws Exception {
    DeliveryRepository.Claimed delivery;
    try (Connection connection = dataSource.getConnection()) {
      delivery = DeliveryRepository.claimNext(connection, timeout.toSeconds() + 30, busyEndpoints());
      if (delivery == null) return false;
      if (!"enabled".equals(delivery.endpointStatus())) {
        DeliveryRepository.finishUnsent(connection, delivery.id());
        return true;
      }
    }
    inFlight.merge(delivery.endpointId(), 1, Integer::sum);
    try {
      send(delivery);
    } finally {
      boolean wasFull = inFlight.getOrDefault(delivery.endpointId(), 0) >= perEndpoint;
      inFlight.computeIfPresent(delivery.endpointId(), (id, n) -> n == 1 ? null : n - 1);
      if (wasFull) workers.wake(); // a sender may be waiting for this endpoint's share to free up
    }
    return true;
  }

  private List<String> busyEndpoints() {
    return inFlight.entrySet().stream().filter(e -> e.getValue() >= perEndpoint).map(Map.Entry::getKey).toList();
  }

  private void send(DeliveryRepository.Claimed delivery) throws Exception {
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
    Instant failingSince;
    try (Connection connection = dataSource.getConnection()) {
      failingSince = DeliveryRepository.recordAttempt(connection, delivery, attemptedAt, status, durationMs, answer.body(), success,
          answer.error(), outcome, next);
    }
    Log.debugf("webhook %s attempt %d to %s: %s", delivery.eventId(), delivery.attempt(), delivery.url(),
        success ? "delivered" : status + " " + answer.error());
    if (gone) {
      disabler.disable(delivery.endpointId(), "the endpoint answered 410 Gone");
    } else if (!success && failingSince != null) {
      Instant clockStart = delivery.enabledAt() != null && delivery.enabledAt().isAfter(failingSince) ? delivery.enabledAt() : failingSince;
      if (clockStart.isBefore(Instant.now().minus(disableAfter))) {
        disabler.disable(delivery.endpointId(), "every delivery failed since " + failingSince);
      }
    }
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
    try (Connection connection = dataSource.getConnection()) {
      long millis = DeliveryRepository.millisUntilNextDue(connection);
      // 0: work is due but only for endpoints that have their share of senders; wait for one to finish (it wakes us).
      return millis < 0 ? 1000 : millis == 0 ? 200 : Math.min(millis, 1000);
    } catch (Exception e) {
      return 1000;
    }
  }
}
