package dev.postflow.contract;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes rows older than a retention once an hour, on a thread of its own (a {@link WorkerLoop}): webhook-service's
 * events, the scheduler's hand-over log.
 */
public final class Retention {
  /** Deletes what is older than {@code before}; returns how many rows. */
  public interface Deletion {
    int olderThan(Connection connection, Instant before) throws SQLException;
  }

  private static final System.Logger LOG = System.getLogger(Retention.class.getName());
  private final Duration retention;
  private final Connections connections;
  private final Deletion deletion;
  private final WorkerLoop loop;

  /** {@code what}: the rows' name in the log and the thread's, e.g. {@code "hand-overs"}. */
  public Retention(String what, Duration retention, Connections connections, Deletion deletion) {
    this.retention = retention;
    this.connections = connections;
    this.deletion = deletion;
    this.loop = new WorkerLoop(what + "-retention", 1, () -> {
      int deleted = deleteExpired();
      if (deleted > 0) LOG.log(System.Logger.Level.INFO, "deleted {0} {1} older than {2}", deleted, what, retention);
      return Duration.ofHours(1).toMillis();
    });
  }

  public void start() {
    loop.start();
  }

  public void stop() throws InterruptedException {
    loop.stop(Duration.ofSeconds(5));
  }

  /** Deletes the rows older than the retention now; returns how many. */
  public int deleteExpired() throws SQLException {
    try (Connection connection = connections.open()) {
      connection.setAutoCommit(true);
      return deletion.olderThan(connection, Instant.now().minus(retention));
    }
  }
}
