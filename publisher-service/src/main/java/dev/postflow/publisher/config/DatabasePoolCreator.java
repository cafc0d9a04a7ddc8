package dev.postflow.publisher.config;

import dev.postflow.contract.net.DatabaseSockets;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The reactive PostgreSQL pool as Quarkus configures it, with sockets that notice a vanished database host within
 * seconds ({@link DatabaseSockets}); Hibernate Reactive uses this pool too.
 */
@Singleton
public class DatabasePoolCreator implements PgPoolCreator {
  @Override
  public Pool create(Input input) {
    return DatabaseSockets.pool(input.vertx(), input.poolOptions(), input.pgConnectOptionsList());
  }
}
