package dev.postflow.contract;

import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.DatabaseException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How a Kafka consumer treats a batch it could not store. A failure caused by the batch's own data (SQLSTATE class 22,
 * data exception, or 23, integrity constraint violation) will fail the same way every time: it is tried
 * {@value #TRIES} times and then goes to the channel's failure strategy (the dead-letter topic). Every other failure
 * (the database unreachable, restarting or failing over, a timeout, a missing grant) is retried <b>without limit</b>,
 * backing off from 200 ms to {@code maxBackoff}: the consumer waits, its lag grows, and when the database is back the
 * batch is stored. A dead-lettered hand-over or result would leave its post scheduled or publishing for ever; an
 * outage longer than the old budget (12 tries, about two minutes) did exactly that.
 */
public final class StorageRetry {
  /** Tries of a batch whose data the database refuses. */
  public static final int TRIES = 12;
  /** First wait between tries; it doubles up to the consumer's maximum. */
  public static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final System.Logger LOG = System.getLogger(StorageRetry.class.getName());

  /** One attempt at storing the batch. */
  public interface Attempt {
    void run() throws SQLException;
  }

  private StorageRetry() {}

  /** Runs the attempt until it succeeds, or until a data error has failed it {@value #TRIES} times (then throws). */
  public static void run(String what, Duration maxBackoff, Attempt attempt) throws SQLException, InterruptedException {
    for (int tries = 1; ; tries++) {
      try {
        attempt.run();
        return;
      } catch (SQLException e) {
        boolean dataError = isDataError(e);
        if (dataError && tries >= TRIES) throw e;
        LOG.log(System.Logger.Level.WARNING, "storing " + what + " failed (try " + tries + (dataError ? " of " + TRIES : "")
            + "), retrying: " + e);
        Thread.sleep(Math.min(maxBackoff.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(tries - 1, 10)));
      }
    }
  }

  /** The same rule for a reactive consumer: {@code work} is subscribed again until it succeeds or a data error failed it TRIES times. */
  public static <T> Uni<T> retrying(Uni<T> work, Duration maxBackoff) {
    return work.onFailure(failure -> !isDataError(failure)).retry().withBackOff(FIRST_BACKOFF, maxBackoff).indefinitely()
        .onFailure().retry().withBackOff(FIRST_BACKOFF, maxBackoff).atMost(TRIES - 1);
  }

  /** True when the failure (or a cause of it) is the database refusing the data itself, which no retry changes. */
  public static boolean isDataError(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String state = cause instanceof SQLException sql ? sql.getSQLState()
          : cause instanceof DatabaseException db ? db.getSqlState() : null;
      if (state != null) return state.startsWith("22") || state.startsWith("23");
    }
    return false;
  }
}
