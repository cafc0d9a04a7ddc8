package dev.postflow.webhooks.delivery;

import dev.postflow.contract.WorkerLoop;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.webhooks.signing.WebhookSigner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sender threads that deliver pending webhooks: claim one (leased), sign it, POST it, record the attempt, then
 * finish it or schedule the next try. Any non-2xx answer, a redirect included, is a failure; 410 stops retrying.
 */
@ApplicationScoped
public class WebhookSenders {
  @Inject AgroalDataSource dataSource;
  @Inject SecretCipher cipher;

  @ConfigProperty(name = "postflow.webhooks.timeout")
  Duration timeout;

  @ConfigProperty(name = "postflow.webhooks.senders")
  int senders;

  @ConfigProperty(name = "postflow.webhooks.retry-schedule")
  List<Duration> retrySchedule;

  private WorkerLoop workers;
  private HttpClient http;

  void start(@Observes StartupEvent event) {
    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    workers = new WorkerLoop("webhook-sender", senders, () -> deliverOne() ? 0 : nextWait());
    workers.start();
  }

  /** Graceful shutdown: senders finish the delivery in hand (its attempt is recorded) and stop. */
  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    workers.stop(timeout.plusSeconds(5));
  }

  public void wake() {
    workers.wake();
  }

  /** Delivers one due delivery; false when none was due. */
  boolean deliverOne() throws Exception {
    DeliveryRepository.Claimed delivery;
    DeliveryRepository.Endpoint endpoint;
    try (Connection connection = dataSource.getConnection()) {
      delivery = DeliveryRepository.claimNext(connection, timeout.toSeconds() + 30);
      if (delivery == null) return false;
      endpoint = DeliveryRepository.endpoint(connection, delivery.endpointId());
      if (endpoint == null) {
        DeliveryRepository.finish(connection, delivery.id(), "failed");
        return true;
      }
    }
    long timestamp = Instant.now().getEpochSecond();
    String signature = WebhookSigner.sign(cipher.decrypt(endpoint.encryptedSecret()), delivery.eventId(), timestamp, delivery.payload());
    Instant attemptedAt = Instant.now();
    Integer status = null;
    String body = null;
    String error = null;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint.url()))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header("User-Agent", "postflow-webhooks")
          .header("webhook-id", delivery.eventId())
          .header("webhook-timestamp", String.valueOf(timestamp))
          .header("webhook-signature", signature)
          .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
          .build(), HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      body = response.body() == null ? null : response.body().substring(0, Math.min(1024, response.body().length()));
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    long durationMs = Duration.between(attemptedAt, Instant.now()).toMillis();
    boolean success = status != null && status >= 200 && status < 300;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      DeliveryRepository.recordAttempt(connection, delivery, attemptedAt, status, durationMs, body, success, error);
      if (success) {
        DeliveryRepository.finish(connection, delivery.id(), "succeeded");
      } else if (Integer.valueOf(410).equals(status) || delivery.attempt() > retrySchedule.size()) {
        DeliveryRepository.finish(connection, delivery.id(), "failed");
      } else {
        DeliveryRepository.retryAt(connection, delivery.id(), Instant.now().plus(withJitter(retrySchedule.get(delivery.attempt() - 1))));
      }
      connection.commit();
    }
    Log.debugf("webhook %s attempt %d to %s: %s", delivery.eventId(), delivery.attempt(), endpoint.url(), success ? "delivered" : status + " " + error);
    return true;
  }

  private static Duration withJitter(Duration delay) {
    long millis = delay.toMillis();
    return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(-millis / 10, millis / 10 + 1));
  }

  private long nextWait() {
    try (Connection connection = dataSource.getConnection()) {
      long millis = DeliveryRepository.millisUntilNextDue(connection);
      return millis < 0 ? 1000 : Math.min(millis, 1000);
    } catch (Exception e) {
      return 1000;
    }
  }
}
