package dev.postflow.contract;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** JDBC work on a connection from the service's pool: under the answer timeout, and a rollback that keeps the first failure. */
public final class Connections {
  private Connections() {}

  /** Work done on one connection; {@code E} is what it throws ({@code RuntimeException} for nothing checked). */
  public interface Work<T, E extends Exception> {
    T run(Connection connection) throws E;
  }

  /**
   * Runs short work (a worker loop's round, a Kafka consumer's batch, a token refresh) on a connection from the pool
   * whose statements fail when the database has not answered within {@code timeout}; the caller then retries on a new
   * connection. Such statements take milliseconds, so no answer means the database's host is gone (a failover to
   * another address): without this, a statement sent just after that is never acknowledged, no keepalive probe starts,
   * and it waits until the kernel gives up retransmitting (about 15 minutes on Linux), and its caller with it. The
   * pool does not reset a connection's timeout, so it is set back to none before the connection goes back. Services
   * call it through {@link ShortWork}; vacuums are allowed minutes more, and retention deletes run in short chunks.
   */
  public static <T, E extends Exception> T withAnswerTimeout(DataSource pool, Duration timeout, Work<T, E> work) throws E, SQLException {
    try (Connection connection = pool.getConnection()) {
      connection.setNetworkTimeout(Runnable::run, Math.toIntExact(timeout.toMillis()));
      try {
        return work.run(connection);
      } finally {
        try {
          connection.setNetworkTimeout(Runnable::run, 0);
        } catch (SQLException closed) {
          // the driver closed it after the timeout; the pool discards it
        }
      }
    }
  }

  /**
   * Rolls the connection's transaction back after {@code failure} and returns the failure, to be thrown. A connection
   * the driver closed (given up for no answer, or lost) cannot roll back: that second failure is attached to the first
   * as suppressed, so the first one still says why.
   */
  public static <E extends Exception> E rolledBack(Connection connection, E failure) {
    try {
      connection.rollback();
    } catch (SQLException closed) {
      failure.addSuppressed(closed);
    }
    return failure;
  }
}
