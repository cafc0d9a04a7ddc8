package dev.postflow.webhooks.delivery;

import dev.postflow.contract.ShortWork;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes the senders' attempts to the database in batches (one transaction for whatever finished meanwhile), then
 * disables endpoints that answered 410 or have failed for longer than disable-after. If the process dies between a
 * send and its record, the delivery's lease runs out and it is sent again: at least once, never lost.
 */
@ApplicationScoped
public class AttemptRecorder {
  private static final int BATCH = 500;
  private static final long HEALTHY_RECHECK_MS = 60_000;


  @Inject ShortWork shortWork;
  @Inject EndpointDisabler disabler;

  @ConfigProperty(name = "postflow.webhooks.disable-after")
  Duration disableAfter;

  private final LinkedBlockingQueue<DeliveryRepository.Attempt> queue = new LinkedBlockingQueue<>();
  /** Endpoints whose last recorded attempt was a success, and when it was recorded. */
  private final Map<String, Long> healthySince = new ConcurrentHashMap<>();
  private volatile boolean running;
  private Thread thread;

  void start(@Observes StartupEvent event) {
    running = true;
    thread = new Thread(this::loop, "webhook-recorder");
    thread.setDaemon(true);
    thread.start();
  }

  void record(DeliveryRepository.Attempt attempt) {
    queue.add(attempt);
  }

  /** Called at shutdown after the senders stopped: writes what is left. */
  void flushAndStop() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }

  private void loop() {
    while (running || !queue.isEmpty()) {
      List<DeliveryRepository.Attempt> batch = new ArrayList<>();
      try {
        DeliveryRepository.Attempt first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // The deliveries stay leased and are sent again when the lease ends.
        Log.warnf(e, "recording %d webhook attempts failed; they are sent again after their lease", batch.size());
      }
    }
  }

  private void write(List<DeliveryRepository.Attempt> batch) throws Exception {
    long now = System.currentTimeMillis();
    Set<String> knownHealthy = new java.util.HashSet<>();
    healthySince.forEach((endpoint, at) -> {
      if (now - at < HEALTHY_RECHECK_MS) knownHealthy.add(endpoint);
    });
    Map<String, Instant> failingSince;
    failingSince = shortWork.run(connection -> {
      connection.setAutoCommit(false);
      Map<String, Instant> failing = DeliveryRepository.recordAttempts(connection, batch, knownHealthy);
      connection.commit();
      return failing;
    });
    for (DeliveryRepository.Attempt attempt : batch) {
      String endpointId = attempt.delivery().endpointId();
      if (attempt.success()) {
        if (!knownHealthy.contains(endpointId)) healthySince.put(endpointId, now); // just written: skip writes for a minute
        continue;
      }
      healthySince.remove(endpointId);
      if (Integer.valueOf(410).equals(attempt.statusCode())) {
        disabler.disable(endpointId, "the endpoint answered 410 Gone");
        continue;
      }
      Instant since = failingSince.get(endpointId);
      if (since == null) continue;
      Instant enabledAt = attempt.delivery().enabledAt();
      Instant clockStart = enabledAt != null && enabledAt.isAfter(since) ? enabledAt : since;
      if (clockStart.isBefore(Instant.now().minus(disableAfter))) {
        disabler.disable(endpointId, "every delivery failed since " + since);
      }
    }
  }
}
