package dev.postflow.posts.idempotency;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Forgets idempotency keys after their retention (at least 24 hours, as the contract promises). */
@ApplicationScoped
public class IdempotencyCleanup {
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "postflow.idempotency.retention-hours", defaultValue = "48")
  int retentionHours;

  @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void forgetOldKeys() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        var delete = connection.prepareStatement("delete from posts.idempotency_key where created_at < now() - make_interval(hours => ?)")) {
      delete.setInt(1, Math.max(24, retentionHours));
      int deleted = delete.executeUpdate();
      if (deleted > 0) Log.debugf("forgot %d idempotency keys", deleted);
    }
  }
}
