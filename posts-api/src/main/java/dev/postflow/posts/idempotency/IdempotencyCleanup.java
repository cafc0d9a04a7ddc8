package dev.postflow.posts.idempotency;

import dev.postflow.contract.Retention;
import dev.postflow.contract.ShortWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Forgets idempotency keys after their retention (at least 24 hours, as the contract promises), once an hour. */
@ApplicationScoped
public class IdempotencyCleanup {
  @Inject ShortWork shortWork;

  @ConfigProperty(name = "postflow.idempotency.retention-hours", defaultValue = "48")
  int retentionHours;

  private Retention cleaner;

  void start(@Observes StartupEvent event) {
    cleaner = new Retention("idempotency-keys", Duration.ofHours(Math.max(24, retentionHours)), shortWork, IdempotencyCleanup::deleteOlderThan);
    cleaner.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    cleaner.stop();
  }

  /** Forgets the keys older than the retention now (it runs once an hour anyway); returns how many. */
  public int forgetOldKeys() throws SQLException {
    return cleaner.deleteExpired();
  }

  static int deleteOlderThan(Connection connection, Instant before, int limit) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("""
        delete from posts.idempotency_key where ctid = any (array(
          select ctid from posts.idempotency_key where created_at < ? order by created_at limit ?))""")) {
      delete.setTimestamp(1, Timestamp.from(before));
      delete.setInt(2, limit);
      return delete.executeUpdate();
    }
  }
}
