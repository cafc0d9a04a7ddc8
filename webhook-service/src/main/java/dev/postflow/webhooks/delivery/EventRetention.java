package dev.postflow.webhooks.delivery;

import dev.postflow.contract.Retention;
import dev.postflow.contract.ShortWork;
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
  @Inject ShortWork shortWork;

  @ConfigProperty(name = "postflow.webhooks.retention")
  Duration retention;

  private Retention cleaner;

  void start(@Observes StartupEvent event) {
    cleaner = new Retention("webhook-events", retention, shortWork, DeliveryRepository.DELETE_EXPIRED_EVENTS);
    cleaner.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    cleaner.stop();
  }

  /** Deletes the events older than the retention now (it runs once an hour anyway); returns how many. */
  public int deleteExpired() throws java.sql.SQLException {
    return cleaner.deleteExpired();
  }
}
