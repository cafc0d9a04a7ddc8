package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.UnansweredStatements;
import dev.postflow.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A batch of lifecycle events the database does not answer within the answer timeout (a lock held here stands in for
 * a database whose host vanished) is given up and stored on a new connection, and its webhook is delivered once.
 */
@QuarkusTest
@TestProfile(UnansweredStatements.OneSecondAnswerTimeout.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class AnswerTimeoutTest {
  @Inject SecretCipher cipher;

  @Test
  void anEventBatchTheDatabaseDoesNotAnswerIsStoredOnANewConnectionAndDeliveredOnce() throws Exception {
    WebhookFixtures fixtures = new WebhookFixtures(cipher);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      fixtures.endpoint(receiver.url(), "[\"*\"]", WebhookFixtures.newSecret());
      String eventId;
      try (Connection blocker = RealInfrastructure.jdbc(); Statement sql = blocker.createStatement()) {
        blocker.setAutoCommit(false);
        sql.execute("lock table webhooks.event in exclusive mode");
        eventId = fixtures.publish("post.published");
        // The batch's first connection waits for the lock without an answer; after 1 s the consumer gives it up and
        // tries again on a second one, which waits too (the first one's backend waits on until the lock is free).
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> UnansweredStatements.backendsWaiting("insert into webhooks.event ") >= 2);
        blocker.rollback();
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      assertEquals(eventId, receiver.received().get(0).header("webhook-id"));
      Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> receiver.received().size() == 1);
    }
  }
}
