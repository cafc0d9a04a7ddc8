// Client for deploy/chaos/vanished-database: one JDBC connection made the way the services make theirs, run with
// `java -cp <the PostgreSQL driver>:<event-contract> deploy/chaos/VanishedDatabase.java <mode> URL USER PASSWORD
// ROUND_TIMEOUT_MS [property=value ...]` (the properties are the services' additional JDBC properties).
//
//   waiting  sends `select pg_sleep(900)` at once: the database's host then vanishes while the statement waits for
//            its result (a vacuum, a Kafka consumer's transaction)
//   sending  waits for a line on stdin, then sends `select 1`: the host vanished just before (a worker loop's next
//            round); with ROUND_TIMEOUT_MS > 0 it runs as a round does (Connections.inRound), else on a plain connection
//
// Prints "ready" once connected, then how the statement ended.
import dev.postflow.contract.Connections;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

public class VanishedDatabase {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long roundTimeoutMs = Long.parseLong(args[4]);
    Properties properties = new Properties();
    properties.setProperty("user", args[2]);
    properties.setProperty("password", args[3]);
    for (int i = 5; i < args.length; i++) {
      String[] pair = args[i].split("=", 2);
      properties.setProperty(pair[0], pair[1]);
    }
    Connection connection = DriverManager.getConnection(args[1], properties);
    System.out.println("ready");
    System.out.flush();
    try {
      if (mode.equals("waiting")) {
        try (Statement sql = connection.createStatement()) {
          sql.execute("select pg_sleep(900)");
        }
      } else {
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        if (roundTimeoutMs > 0) {
          Connections.inRound(new OneConnection(connection), Duration.ofMillis(roundTimeoutMs), VanishedDatabase::selectOne);
        } else {
          selectOne(connection);
        }
      }
      System.out.println("answered");
    } catch (SQLException e) {
      System.out.println("failed: " + e.getMessage());
    }
  }

  private static boolean selectOne(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      return sql.execute("select 1");
    }
  }

  /** The one connection, handed out as a pool would hand it out. */
  private record OneConnection(Connection connection) implements DataSource {
    public Connection getConnection() {
      return connection;
    }

    public Connection getConnection(String user, String password) {
      return connection;
    }

    public PrintWriter getLogWriter() {
      return null;
    }

    public void setLogWriter(PrintWriter out) {}

    public void setLoginTimeout(int seconds) {}

    public int getLoginTimeout() {
      return 0;
    }

    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    public <T> T unwrap(Class<T> type) {
      throw new UnsupportedOperationException();
    }

    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
