package dev.postflow.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Connections;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.UnansweredStatements;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Short work (a worker loop's round, a Kafka consumer's batch) gives its connection up when the database does not
 * answer within the answer timeout, and tries again on a new one; the pool's other users keep no timeout. A statement
 * that sleeps, or waits for a lock held here, stands in for a database whose host vanished.
 */
@QuarkusTest
@TestProfile(UnansweredStatements.OneSecondAnswerTimeout.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class AnswerTimeoutTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void aStatementThatIsNotAnsweredInTimeIsGivenUp() {
    long start = System.nanoTime();
    assertThrows(SQLException.class, () -> Connections.withAnswerTimeout(dataSource, Duration.ofSeconds(1), connection -> {
      try (Statement sql = connection.createStatement()) {
        return sql.execute("select pg_sleep(30)");
      }
    }));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 10, "gave up after " + seconds + " s");
  }

  @Test
  void theConnectionGoesBackToThePoolWithoutTheTimeout() throws Exception {
    assertEquals(1000, Connections.withAnswerTimeout(dataSource, Duration.ofSeconds(1), Connection::getNetworkTimeout));
    try (Connection connection = dataSource.getConnection()) {
      assertEquals(0, connection.getNetworkTimeout());
    }
  }

  @Test
  void aScheduleBatchTheDatabaseDoesNotAnswerIsStoredOnANewConnection() throws Exception {
    String postId = Ids.newId("post");
    try (Connection blocker = RealInfrastructure.jdbc(); Statement sql = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      sql.execute("lock table scheduler.scheduled_post in exclusive mode");
      KafkaTopics.send(Topics.SCHEDULE_REQUESTS, postId,
          "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
      // The batch's first connection waits for the lock without an answer; after 1 s the consumer gives it up and
      // tries again on a second one, which waits too (the first one's backend waits on until the lock is free).
      await().atMost(Duration.ofSeconds(30)).until(() -> UnansweredStatements.backendsWaiting("insert into scheduler.scheduled_post") >= 2);
      blocker.rollback();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from scheduler.scheduled_post where post_id = '" + postId + "'") == 1);
  }

  @Inject DueDispatcher dispatcher;

  /** Retention deletes run as short work too (in chunks): one the database does not answer is given up, not waited for. */
  @Test
  void aRetentionDeleteTheDatabaseDoesNotAnswerIsGivenUp() throws Exception {
    try (Connection blocker = RealInfrastructure.jdbc(); Statement sql = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      sql.execute("lock table scheduler.hand_over in exclusive mode");
      long start = System.nanoTime();
      assertThrows(SQLException.class, dispatcher::deleteExpiredHandOvers);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 10, "gave up after " + seconds + " s");
      blocker.rollback();
    }
  }

  private static long count(String query) throws SQLException {
    try (Connection connection = RealInfrastructure.jdbc(); Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(query)) {
      row.next();
      return row.getLong(1);
    }
  }
}
