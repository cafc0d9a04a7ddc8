package dev.postflow.testsupport;

import io.vertx.mutiny.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Whether a service's database connections would notice that the database's host vanished: read from the kernel's
 * table of TCP sockets ({@code /proc/net/tcp}, Linux), where a socket with keepalive has its keepalive timer armed
 * (timer 2, the time left in hundredths of a second) and a socket without it has none. PostgreSQL tells the client's
 * port and its own ({@code inet_client_port()}, {@code inet_server_port()}): the socket's local and remote ports. Both
 * are needed: Linux gives one local port to several connections when their remote ends differ (a Kafka client's
 * socket with the kernel's default keepalive of 2 hours once matched the client port alone).
 */
public final class ClientKeepalive {
  private static final String PORTS = "select inet_client_port(), inet_server_port()";

  private ClientKeepalive() {}

  /**
   * Seconds until a connection of this pool sends its next keepalive probe if nothing else is sent; -1: never. 0 is an
   * armed timer that is due now: the kernel does not re-arm it on traffic, it fires after the idle time and then
   * checks how long the socket was really idle (a connection just used is read at 0 now and then).
   */
  public static double secondsUntilProbe(DataSource pool) throws SQLException, IOException {
    try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement();
        ResultSet row = sql.executeQuery(PORTS)) {
      row.next();
      return secondsUntilProbe(row.getInt(1), row.getInt(2));
    }
  }

  /**
   * The same for a connection of a reactive pool (a name of its own: services without a reactive pool must not need
   * its class to compile a call of the other).
   */
  public static double secondsUntilProbeReactive(Pool pool) throws IOException {
    var row = pool.query(PORTS).execute().await().indefinitely().iterator().next();
    return secondsUntilProbe(row.getInteger(0), row.getInteger(1));
  }

  /** Seconds until the established socket between these ports sends its next keepalive probe; -1: never. */
  private static double secondsUntilProbe(int localPort, int remotePort) throws IOException {
    String port = String.format(":%04X", localPort);
    String remote = String.format(":%04X", remotePort);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] field = line.trim().split("\\s+");
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...; st 01 = established
        if (field.length < 6 || !field[1].endsWith(port) || !field[2].endsWith(remote) || !"01".equals(field[3])) continue;
        String[] timer = field[5].split(":");
        return "02".equals(timer[0]) ? Long.parseLong(timer[1], 16) / 100.0 : -1;
      }
    }
    throw new IllegalStateException("no established socket from port " + localPort + " to port " + remotePort + " in /proc/net/tcp");
  }
}
