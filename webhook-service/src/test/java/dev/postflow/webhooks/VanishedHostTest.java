package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.ClientKeepalive;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.VanishedClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Hosts that vanish (no FIN, no RST, nothing answers), seen from both ends.
 *
 * <p>A replica whose host vanishes in the middle of a transaction (a claim, or the record of attempts) loses its session,
 * and its row locks, within seconds. Claimed deliveries are leased, so they come back when the lease ends anyway.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class VanishedHostTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void theClaimsOfAReplicaWhoseHostVanishedAreFreedWithinSeconds() throws Exception {
    assertEquals(11, VanishedClients.secondsUntilDropped(dataSource));
  }

  /**
   * The database's host vanishing under this service (a failover to another address): its JDBC connections probe the
   * database after at most 5 s without traffic, and give up after 3 unanswered probes 2 s apart (KeepaliveSocketFactory);
   * without the socket factory they never probe (-1), and a statement waiting for its result waits forever.
   */
  @Test
  void aDatabaseWhoseHostVanishedIsNoticedWithinSeconds() throws Exception {
    double probe = ClientKeepalive.secondsUntilProbe(dataSource);
    assertTrue(probe >= 0 && probe <= 5, "seconds until the next keepalive probe: " + probe);
  }
}
