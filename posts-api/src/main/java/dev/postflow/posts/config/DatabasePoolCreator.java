package dev.postflow.posts.config;

import dev.postflow.contract.net.DatabaseSockets;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reactive PostgreSQL pool as Quarkus configures it, with sockets that notice a vanished database host within
 * seconds (keepalive timers on each new connection, TCP_USER_TIMEOUT: {@link DatabaseSockets}); Hibernate Reactive
 * uses this pool too. With several database URLs, new connections take them in turn, as Quarkus's own pool does.
 */
@Singleton
public class DatabasePoolCreator implements PgPoolCreator {
  @Override
  public Pool create(Input input) {
    List<PgConnectOptions> databases = input.pgConnectOptionsList();
    databases.forEach(DatabaseSockets::keepalive);
    AtomicInteger next = new AtomicInteger();
    return PgBuilder.pool().with(input.poolOptions()).using(input.vertx())
        .connectingTo(() -> Future.<SqlConnectOptions>succeededFuture(databases.get(Math.floorMod(next.getAndIncrement(), databases.size()))))
        .withConnectHandler(connection -> {
          try {
            DatabaseSockets.keepaliveTimers(connection);
          } finally {
            connection.close(); // gives the new connection to the pool
          }
        })
        .build();
  }
}
