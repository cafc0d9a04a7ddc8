package dev.postflow.contract;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** A new JDBC connection from the service's pool, closed by the caller ({@code dataSource::getConnection}). */
public interface Connections {
  Connection open() throws SQLException;

  /** Work done on one connection. */
  interface Work<T> {
    T run(Connection connection) throws Exception;
  }

  /**
   * Runs one round of a worker loop (the due dispatcher, the outbox relay, the webhook dispatcher) on a connection
   * whose statements fail when the database has not answered within {@code timeout}; the loop then retries on a new
   * connection. Their statements take milliseconds and wait for no lock ({@code skip locked}, a tried advisory lock), so
   * no answer means the database's host is gone (a failover to another address): without this, a statement sent just
   * after that waits until the kernel gives up retransmitting (about 15 minutes on Linux), and the loop with it. The
   * pool does not reset a connection's timeout, so it is set back to none before the connection goes back.
   */
  static <T> T inRound(DataSource pool, Duration timeout, Work<T> work) throws Exception {
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
}
