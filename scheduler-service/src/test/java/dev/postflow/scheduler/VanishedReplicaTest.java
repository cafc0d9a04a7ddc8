package dev.postflow.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.VanishedClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A replica whose host vanishes in the middle of a round (claimed rows locked, hand-overs not committed) loses its
 * session, and with it its locks, within seconds; with PostgreSQL's defaults that took about 2 h 11 min on Linux
 * (deploy/chaos/vanished-client shows both).
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
