package dev.postflow.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A real PostgreSQL server (zonky's embedded binaries), one per test JVM. */
public final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres server;

  private Postgres(EmbeddedPostgres server) {
    this.server = server;
  }

  public static Postgres start() {
    try {
      return new Postgres(EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
  }

  public String reactiveUrl() {
    return "postgresql://127.0.0.1:" + port() + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  public String password() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
