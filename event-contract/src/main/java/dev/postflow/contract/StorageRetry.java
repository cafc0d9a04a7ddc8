package dev.postflow.contract;

import java.sql.SQLException;

/**
 * How a blocking Kafka consumer stores a polled batch while the database may be briefly unreachable: up to 12 tries,
 * 200 ms doubling to 10 s between them (about two minutes in all), then the failure goes to the channel's
 * failure strategy (the dead-letter topic).
 */
public final class StorageRetry {
  private static final int TRIES = 12;
  private static final System.Logger LOG = System.getLogger(StorageRetry.class.getName());

  /** One attempt at storing the batch. */
  public interface Attempt {
    void run() throws SQLException;
  }

  private StorageRetry() {}

  public static void run(String what, Attempt attempt) throws SQLException, InterruptedException {
    for (int tries = 1; ; tries++) {
      try {
        attempt.run();
        return;
      } catch (SQLException e) {
        if (tries == TRIES) throw e;
        LOG.log(System.Logger.Level.WARNING, "storing " + what + " failed (try " + tries + " of " + TRIES + "), retrying: " + e);
        Thread.sleep(Math.min(10_000L, 200L << Math.min(tries - 1, 6)));
      }
    }
  }
}
