package dev.postflow.contract.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionBase;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;

/**
 * How the services' connections to PostgreSQL notice that the database's host vanished (a lost node, a failover to
 * another address: no FIN, no RST, nothing answers). Without this, a statement waiting for its result waits forever, and
 * one sent after the host vanished waits until Linux gives up retransmitting it (about 15 minutes).
 *
 * <ul>
 *   <li>Keepalive: after {@link #IDLE_SECONDS} without traffic the socket probes the database, and gives up after
 *       {@link #COUNT} unanswered probes {@link #INTERVAL_SECONDS} apart: about 11 s after the database last answered.
 *       PostgreSQL uses the same numbers for the services' sessions in the other direction
 *       ({@code options=-c tcp_keepalives_*}). JDBC: {@link KeepaliveSocketFactory}; reactive pools:
 *       {@link #pool}.
 *   <li>{@code TCP_USER_TIMEOUT} (reactive pools on Linux's epoll; Java's own sockets have no such option): data sent
 *       and not acknowledged within {@link #USER_TIMEOUT_MS} closes the connection. The acknowledgement is the
 *       database kernel's, so a slow statement is not cut short. JDBC's worker loops get the same bound from
 *       {@code postflow.db.answer-timeout}.
 * </ul>
 */
public final class DatabaseSockets {
  public static final int IDLE_SECONDS = 5;
  public static final int INTERVAL_SECONDS = 2;
  public static final int COUNT = 3;
  public static final int USER_TIMEOUT_MS = 10_000;

  private DatabaseSockets() {}

  /**
   * A reactive PostgreSQL pool (what a service's {@code PgPoolCreator} returns, from what Quarkus configured) whose
   * connections have keepalive, its timers and the user timeout. With several databases, new connections take them in
   * turn, as Quarkus's own pool does.
   */
  public static Pool pool(Vertx vertx, PoolOptions poolOptions, List<PgConnectOptions> databases) {
    databases.forEach(DatabaseSockets::keepalive);
    AtomicInteger next = new AtomicInteger();
    return PgBuilder.pool().with(poolOptions).using(vertx)
        .connectingTo(() -> Future.<SqlConnectOptions>succeededFuture(databases.get(Math.floorMod(next.getAndIncrement(), databases.size()))))
        .withConnectHandler(connection -> {
          try {
            keepaliveTimers(connection);
          } finally {
            connection.close(); // gives the new connection to the pool
          }
        })
        .build();
  }

  /**
   * A reactive pool's connect options: keepalive on, and the user timeout (which Vert.x applies on its native
   * transport only: {@code quarkus.vertx.prefer-native-transport=true} with netty-transport-native-epoll).
   */
  static void keepalive(NetClientOptions options) {
    options.setTcpKeepAlive(true);
    options.setTcpUserTimeout(USER_TIMEOUT_MS);
  }

  /**
   * Sets the keepalive timers on a reactive pool's new connection (the pool's connect handler). Vert.x 4.5 sets them
   * on server sockets only, so they are set on the connection's Netty channel, which Vert.x's SQL client exposes only
   * through its implementation classes ({@code VanishedHostTest} in posts-api and publisher-service fails if that
   * changes).
   */
  static void keepaliveTimers(SqlConnection connection) {
    SocketConnectionBase socket = (SocketConnectionBase) ((SqlConnectionBase<?>) connection).unwrap().unwrap();
    Channel channel = socket.socket().channelHandlerContext().channel();
    ChannelConfig config = channel.config();
    if (channel instanceof EpollSocketChannel) {
      config.setOption(EpollChannelOption.TCP_KEEPIDLE, IDLE_SECONDS);
      config.setOption(EpollChannelOption.TCP_KEEPINTVL, INTERVAL_SECONDS);
      config.setOption(EpollChannelOption.TCP_KEEPCNT, COUNT);
    } else {
      config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), IDLE_SECONDS);
      config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), INTERVAL_SECONDS);
      config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), COUNT);
    }
  }
}
