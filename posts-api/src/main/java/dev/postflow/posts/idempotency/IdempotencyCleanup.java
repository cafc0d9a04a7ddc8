package dev.postflow.posts.idempotency;

import dev.postflow.contract.Retention;
import dev.postflow.contract.ShortWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Forgets idempotency keys after their retention (at least 24 hours, as the contract promises), once an hour. */
@ApplicationScoped
public class IdempotencyCleanup {
  @Inject ShortWork shortWork;

  @ConfigProperty(name = "postflow.idempotency.retention-hours", defaultValue = "48")
  int retentionHours;

  private Retention cleaner;

  void start(@Observes StartupEvent event) {
    cleaner = new Retention("idempotency-keys", Duration.ofHours(Math.max(24, retentionHours)), shortWork, """
        delete from posts.idempotency_key where ctid = any (array(
          select ctid from posts.idempotency_key where created_at < ? order by created_at limit ?))""");
    cleaner.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    cleaner.stop();
  }

  /** Forgets the keys older than the retention now (it runs once an hour anyway); returns how many. */
  public int forgetOldKeys() throws SQLException {
    return cleaner.deleteExpired();
  }
}
