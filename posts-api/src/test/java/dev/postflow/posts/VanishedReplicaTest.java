package dev.postflow.posts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.VanishedClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A replica whose host vanishes in the middle of a transaction (rows locked, the outbox relay's advisory lock held)
 * loses its sessions, and with them its locks, within seconds, on both its connection pools; with PostgreSQL's
 * defaults that took about 2 h 11 min on Linux, and a vanished relay would have stopped every replica's relay as long.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class VanishedReplicaTest {
  @Inject AgroalDataSource dataSource;
  @Inject Pool pool;

  @Test
  void theLocksOfAReplicaWhoseHostVanishedAreFreedWithinSeconds() throws Exception {
    assertEquals(11, VanishedClients.secondsUntilDropped(dataSource), "JDBC pool");
    int reactive = pool.query(VanishedClients.SECONDS_UNTIL_DROPPED).execute().await().indefinitely().iterator().next().getInteger(0);
    assertEquals(11, reactive, "reactive pool");
  }
}
