package dev.postflow.webhooks.delivery;

import dev.postflow.contract.WorkerLoop;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Events, deliveries and their attempts are kept for the retention (replays reach that far back), then deleted. */
@ApplicationScoped
public class EventRetention {
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "postflow.webhooks.retention")
  Duration retention;

  private WorkerLoop cleaner;

  void start(@Observes StartupEvent event) {
    cleaner = new WorkerLoop("webhook-retention", 1, () -> {
      try (Connection connection = dataSource.getConnection()) {
        int deleted = DeliveryRepository.deleteOlderThan(connection, Instant.now().minus(retention));
        if (deleted > 0) Log.infof("deleted %d webhook events older than %s", deleted, retention);
      }
      return Duration.ofHours(1).toMillis();
    });
    cleaner.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    cleaner.stop(Duration.ofSeconds(5));
  }
}
