package dev.postflow.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.vertx.mutiny.sqlclient.Pool;
import javax.sql.DataSource;

/**
 * How soon PostgreSQL ends a session whose client's host vanished (no FIN, no RST, nothing answers): it probes an idle
 * session after {@code tcp_keepalives_idle} seconds and gives up after {@code tcp_keepalives_count} probes
 * {@code tcp_keepalives_interval} apart. Until then the session's transaction, and every lock it holds, stays.
 */
public final class VanishedClients {
  /** The same sum, as one value of a row, asked on the session to be measured. */
  private static final String SECONDS_UNTIL_DROPPED = "select current_setting('tcp_keepalives_idle')::int"
      + " + current_setting('tcp_keepalives_interval')::int * current_setting('tcp_keepalives_count')::int";

  private VanishedClients() {}

  /** Seconds after which PostgreSQL ends a session of this pool once the pool's host has vanished. */
  public static int secondsUntilDropped(DataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement();
        ResultSet row = sql.executeQuery(SECONDS_UNTIL_DROPPED)) {
      row.next();
      return row.getInt(1);
    }
  }

  /**
   * The same for a session of a reactive pool (a name of its own: services without a reactive pool must not need its
   * class to compile a call of the other).
   */
  public static int secondsUntilDroppedReactive(Pool pool) {
    return pool.query(SECONDS_UNTIL_DROPPED).execute().await().indefinitely().iterator().next().getInteger(0);
  }
}
