package dev.postflow.scheduler;

import dev.postflow.contract.WorkerLoop;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The hand-over log ({@code scheduler.hand_over}) is kept for the retention, then deleted, once an hour. */
@ApplicationScoped
public class HandOverRetention {
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "postflow.scheduler.hand-over-retention")
  Duration retention;

  private WorkerLoop cleaner;

  void start(@Observes StartupEvent event) {
    cleaner = new WorkerLoop("hand-over-retention", 1, () -> {
      int deleted = deleteExpired();
      if (deleted > 0) Log.infof("deleted %d hand-overs older than %s", deleted, retention);
      return Duration.ofHours(1).toMillis();
    });
    cleaner.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    cleaner.stop(Duration.ofSeconds(5));
  }

  /** Deletes the hand-overs older than the retention; returns how many. */
  int deleteExpired() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      return ScheduleRepository.deleteHandOversBefore(connection, Instant.now().minus(retention));
    }
  }
}
