package dev.postflow.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Connections;
import dev.postflow.testsupport.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A worker loop's round gives its connection up when the database does not answer within the round timeout (here a
 * statement that sleeps stands in for a database whose host vanished), and the pool's other users keep no timeout.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class RoundTimeoutTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void aRoundGivesUpAStatementThatIsNotAnsweredInTime() throws Exception {
    long start = System.nanoTime();
    assertThrows(SQLException.class, () -> Connections.inRound(dataSource, Duration.ofSeconds(1), connection -> {
      try (Statement sql = connection.createStatement()) {
        return sql.execute("select pg_sleep(30)");
      }
    }));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 10, "gave up after " + seconds + " s");
  }

  @Test
  void theConnectionGoesBackToThePoolWithoutTheTimeout() throws Exception {
    assertEquals(1000, Connections.inRound(dataSource, Duration.ofSeconds(1), Connection::getNetworkTimeout));
    try (Connection connection = dataSource.getConnection()) {
      assertEquals(0, connection.getNetworkTimeout());
    }
  }
}
