package dev.postflow.webhooks.delivery;

import dev.postflow.contract.Retention;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Events, deliveries and their attempts are kept for the retention (replays reach that far back), then deleted. */
@ApplicationScoped
public class EventRetention {
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "postflow.webhooks.retention")
  Duration retention;

  private Retention cleaner;

  void start(@Observes StartupEvent event) {
    cleaner = new Retention("webhook-events", retention, dataSource::getConnection, DeliveryRepository::deleteOlderThan);
    cleaner.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    cleaner.stop();
  }
}
