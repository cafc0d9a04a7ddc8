// Client for deploy/chaos/vanished-host: one database connection made the way the services make theirs, run with
// `java -cp <posts-api's jars> deploy/chaos/VanishedDatabase.java <client> <mode> HOST PORT USER PASSWORD
// ANSWER_TIMEOUT_MS [property=value ...]`.
//
//   client   jdbc: PostgreSQL's JDBC driver with the given properties (the services' additional JDBC properties);
//            reactive: posts-api's reactive pool (its DatabasePoolCreator, on Vert.x's epoll transport as configured)
//            reactive-defaults: Vert.x's PostgreSQL pool as Quarkus makes it without that creator (Java NIO)
//   mode     waiting: sends `select pg_sleep(900)` at once; the database's host then vanishes while the statement
//            waits for its result (a vacuum, a consumer's transaction)
//            sending: waits for a line on stdin, then sends `select 1`; the host vanished just before (a worker loop's
//            next round, a consumer's next statement); jdbc with ANSWER_TIMEOUT_MS > 0 runs it as short work does
//            (Connections.withAnswerTimeout)
//
// Prints "ready" once connected, then how the statement ended ("answered" or "failed: ...").
import dev.postflow.contract.Connections;
import dev.postflow.posts.config.DatabasePoolCreator;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

public class VanishedDatabase {
  public static void main(String[] args) throws Exception {
    String client = args[0], mode = args[1], host = args[2], user = args[4], password = args[5];
    int port = Integer.parseInt(args[3]);
    long answerTimeoutMs = Long.parseLong(args[6]);
    String statement = mode.equals("waiting") ? "select pg_sleep(900)" : "select 1";
    String outcome;
    if (client.equals("jdbc")) {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      properties.setProperty("password", password);
      for (int i = 7; i < args.length; i++) {
        String[] pair = args[i].split("=", 2);
        properties.setProperty(pair[0], pair[1]);
      }
      Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postflow", properties);
      ready(mode);
      try {
        if (answerTimeoutMs > 0) {
          Connections.withAnswerTimeout(new OneConnection(connection), Duration.ofMillis(answerTimeoutMs), c -> run(c, statement));
        } else {
          run(connection, statement);
        }
        outcome = "answered";
      } catch (SQLException e) {
        outcome = "failed: " + e.getMessage();
      }
    } else {
      boolean asPostsApi = client.equals("reactive");
      Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(asPostsApi));
      PgConnectOptions database = new PgConnectOptions().setHost(host).setPort(port).setDatabase("postflow").setUser(user).setPassword(password);
      PoolOptions poolOptions = new PoolOptions().setMaxSize(1);
      Pool pool = !asPostsApi ? PgBuilder.pool().with(poolOptions).connectingTo(database).using(vertx).build()
          : new DatabasePoolCreator().create(new PgPoolCreator.Input() {
            public Vertx vertx() { return vertx; }
            public PoolOptions poolOptions() { return poolOptions; }
            public List<PgConnectOptions> pgConnectOptionsList() { return List.of(database); }
          });
      SqlConnection connection = pool.getConnection().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.err.println("native transport: " + vertx.isNativeTransportEnabled());
      ready(mode);
      try {
        connection.query(statement).execute().toCompletionStage().toCompletableFuture().get();
        outcome = "answered";
      } catch (java.util.concurrent.ExecutionException e) {
        outcome = "failed: " + e.getCause();
      }
    }
    System.out.println(outcome);
    System.exit(0);
  }

  /** Says it is connected; in sending mode, waits for the go (the host has vanished). */
  private static void ready(String mode) throws Exception {
    System.out.println("ready");
    System.out.flush();
    if (mode.equals("sending")) new BufferedReader(new InputStreamReader(System.in)).readLine();
  }

  private static boolean run(Connection connection, String statement) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      return sql.execute(statement);
    }
  }

  /** The one connection, handed out as a pool would hand it out. */
  private record OneConnection(Connection connection) implements DataSource {
    public Connection getConnection() { return connection; }
    public Connection getConnection(String user, String password) { return connection; }
    public PrintWriter getLogWriter() { return null; }
    public void setLogWriter(PrintWriter out) {}
    public void setLoginTimeout(int seconds) {}
    public int getLoginTimeout() { return 0; }
    public Logger getParentLogger() { return Logger.getGlobal(); }
    public <T> T unwrap(Class<T> type) { throw new UnsupportedOperationException(); }
    public boolean isWrapperFor(Class<?> type) { return false; }
  }
}
