package dev.postflow.posts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A migration never waits behind a long transaction for a table's lock: while it waits for ACCESS EXCLUSIVE, every
 * other query of that table queues behind it (for posts.account, every publish). With the migration lock timeout
 * (quarkus.flyway.init-sql, postflow.db.migration-lock-timeout) it gives up, the start fails, and Kubernetes starts it
 * again later. The migration here runs with the service's own Flyway configuration, from a test location into a
 * history table of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class MigrationLockTimeoutTest {
  @Inject Flyway flyway;

  @Test
  void aMigrationGivesUpInsteadOfQueueingEveryoneBehindALongTransaction() throws Exception {
    // The service's configuration (its datasource, so its JDBC session parameters); Quarkus lists the service's own
    // migrations at build time, so the scanning is set back to Flyway's own for the test location.
    Flyway lockTest = Flyway.configure().configuration(flyway.getConfiguration()).resourceProvider(null).javaMigrationClassProvider(null)
        .locations("classpath:db/lock-timeout-test").table("lock_timeout_test_history").baselineOnMigrate(true).baselineVersion("0").load();
    try (Connection reader = RealInfrastructure.jdbc()) {
      reader.setAutoCommit(false);
      reader.createStatement().execute("select count(*) from posts.workspace");   // holds ACCESS SHARE until it ends
      CompletableFuture<Void> migration = CompletableFuture.runAsync(() -> lockTest.migrate());
      ExecutionException failed = assertThrows(ExecutionException.class, () -> migration.get(60, TimeUnit.SECONDS),
          "the migration must fail, not wait for the transaction");
      assertEquals("55P03", sqlState(failed), "lock_not_available (lock timeout): " + failed.getCause());
      reader.rollback();
    } finally {
      try (Connection cleanup = RealInfrastructure.jdbc()) {
        cleanup.createStatement().execute("drop table if exists posts.lock_timeout_test_history;"
            + " alter table posts.workspace drop column if exists lock_timeout_test");
      }
    }
  }

  private static String sqlState(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
    }
    return null;
  }
}
