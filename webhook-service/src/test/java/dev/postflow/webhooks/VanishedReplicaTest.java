package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.VanishedClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A replica whose host vanishes in the middle of a transaction (a claim, or the record of attempts) loses its session,
 * and its row locks, within seconds. Claimed deliveries are leased, so they come back when the lease ends anyway.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class VanishedReplicaTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void theClaimsOfAReplicaWhoseHostVanishedAreFreedWithinSeconds() throws Exception {
    assertEquals(11, VanishedClients.secondsUntilDropped(dataSource));
  }
}
