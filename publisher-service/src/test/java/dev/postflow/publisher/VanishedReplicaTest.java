package dev.postflow.publisher;

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
 * A replica whose host vanishes in the middle of a transaction (a token refresh holds its account's row locked)
 * loses its sessions, and with them its locks, within seconds, on both its connection pools; with PostgreSQL's
 * defaults that took about 2 h 11 min on Linux.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SandboxSimulator.class, restrictToAnnotatedClass = false)
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
