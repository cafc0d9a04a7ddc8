package dev.postflow.posts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.ClientKeepalive;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.VanishedClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Hosts that vanish (no FIN, no RST, nothing answers), seen from both ends.
 *
 * <p>A replica whose host vanishes in the middle of a transaction (rows locked, the outbox relay's advisory lock held)
 * loses its sessions, and with them its locks, within seconds, on both its connection pools; with PostgreSQL's
 * defaults that took about 2 h 11 min on Linux, and a vanished relay would have stopped every replica's relay as long.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class VanishedHostTest {
  @Inject AgroalDataSource dataSource;
  @Inject Pool pool;

  @Test
  void theLocksOfAReplicaWhoseHostVanishedAreFreedWithinSeconds() throws Exception {
    assertEquals(11, VanishedClients.secondsUntilDropped(dataSource), "JDBC pool");
    assertEquals(11, VanishedClients.secondsUntilDroppedReactive(pool), "reactive pool");
  }

  /**
   * The database's host vanishing under this service (a failover to another address): the connections of both pools
   * probe the database after at most 5 s without traffic, and give up after 3 unanswered probes 2 s apart
   * (KeepaliveSocketFactory, DatabasePoolCreator). Without those the JDBC pool's never probe (-1) and the reactive
   * pool's after 7,200 s, and a statement waiting for its result waits as long.
   */
  @Test
  void aDatabaseWhoseHostVanishedIsNoticedWithinSeconds() throws Exception {
    double jdbc = ClientKeepalive.secondsUntilProbe(dataSource);
    assertTrue(jdbc >= 0 && jdbc <= 5, "JDBC pool: seconds until the next keepalive probe: " + jdbc);
    double reactive = ClientKeepalive.secondsUntilProbeReactive(pool);
    assertTrue(reactive >= 0 && reactive <= 5, "reactive pool: seconds until the next keepalive probe: " + reactive);
  }
}
