package dev.postflow.contract;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes rows older than a retention once an hour, on a thread of its own (a {@link WorkerLoop}): webhook-service's
 * events, the scheduler's hand-over log, posts-api's idempotency keys.
 *
 * <p>In chunks of {@link #CHUNK} rows, each its own statement and commit, run as {@link ShortWork}: a chunk takes
 * milliseconds, so a database that has not answered within the answer timeout is gone (a failover to another
 * address), and the run is tried again a second later on a new connection. One statement for an hour's expired rows
 * (1.8 million hand-overs at 500 posts/s) would hold its locks and write its WAL in one go, and could not be told apart
 * from a vanished database.
 */
public final class Retention {
  /** Rows deleted per statement. */
  public static final int CHUNK = 1000;

  private static final System.Logger LOG = System.getLogger(Retention.class.getName());
  private final Duration retention;
  private final ShortWork shortWork;
  private final String deleteChunk;
  private final WorkerLoop loop;
  private volatile boolean stopping;

  /**
   * {@code what}: the rows' name in the log and the thread's, e.g. {@code "hand-overs"}. {@code deleteChunk}: a delete
   * of at most the second parameter's number of rows older than the first, e.g. {@code delete from t where ctid = any
   * (array(select ctid from t where created_at < ? limit ?))}.
   */
  public Retention(String what, Duration retention, ShortWork shortWork, String deleteChunk) {
    this.retention = retention;
    this.shortWork = shortWork;
    this.deleteChunk = deleteChunk;
    this.loop = new WorkerLoop(what + "-retention", 1, () -> {
      int deleted = deleteExpired();
      if (deleted > 0) LOG.log(System.Logger.Level.INFO, "deleted {0} {1} older than {2}", deleted, what, retention);
      return Duration.ofHours(1).toMillis();
    });
  }

  public void start() {
    loop.start();
  }

  /** Stops after the chunk in flight. */
  public void stop() throws InterruptedException {
    stopping = true;
    loop.stop(Duration.ofSeconds(5));
  }

  /** Deletes the rows older than the retention now, chunk by chunk; returns how many. */
  public int deleteExpired() throws SQLException {
    Instant before = Instant.now().minus(retention);
    int total = 0;
    int deleted;
    do {
      deleted = shortWork.run(connection -> {
        connection.setAutoCommit(true);
        try (PreparedStatement delete = connection.prepareStatement(deleteChunk)) {
          delete.setTimestamp(1, Timestamp.from(before));
          delete.setInt(2, CHUNK);
          return delete.executeUpdate();
        }
      });
      total += deleted;
    } while (deleted == CHUNK && !stopping);
    return total;
  }
}
