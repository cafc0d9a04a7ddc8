package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import dev.postflow.contract.Ids;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class WebhookDeliveryTest {
  @Inject SecretCipher cipher;
  private WebhookReceiver receiver;
  private WebhookFixtures fixtures;
  private String secret;

  @BeforeEach
  void setUp() {
    receiver = new WebhookReceiver();
    fixtures = new WebhookFixtures(cipher);
    secret = WebhookFixtures.newSecret();
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  @Test
  void deliversTheEventSignedPerStandardWebhooks() throws Exception {
    fixtures.endpoint(receiver.url(), "[\"*\"]", secret);
    String eventId = fixtures.publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
    WebhookReceiver.Received delivery = receiver.received().get(0);
    assertEquals(eventId, delivery.header("webhook-id"));
    assertTrue(delivery.body().contains("\"type\":\"post.published\""));
    new Webhook(secret).verify(delivery.body(), delivery.headers()); // the official library; throws if the signature is wrong
  }

  @Test
  void aFailedDeliveryIsRetriedWithTheSameWebhookIdAndEveryAttemptIsLogged() throws Exception {
    String endpointId = fixtures.endpoint(receiver.url(), "[\"post.published\"]", secret);
    receiver.answerNext(500, 302);
    String eventId = fixtures.publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 3);
    List<WebhookReceiver.Received> received = receiver.received();
    assertTrue(received.stream().allMatch(r -> eventId.equals(r.header("webhook-id"))));
    for (WebhookReceiver.Received r : received) new Webhook(secret).verify(r.body(), r.headers());
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertEquals(List.of("succeeded:1=500-", "succeeded:2=302-", "succeeded:3=200+"), fixtures.attempts(endpointId)));
  }

  @Test
  void onlySubscribedEventsAreDeliveredAndARepeatedEventOnlyOnce() throws Exception {
    fixtures.endpoint(receiver.url(), "[\"post.published\"]", secret);
    fixtures.publish("post.scheduled");
    String eventId = Ids.newId("evt");
    String body = "{\"type\":\"post.published\",\"id\":\"" + eventId + "\",\"timestamp\":\"2026-06-01T09:00:00Z\",\"data\":{}}";
    fixtures.send(eventId, body);
    fixtures.send(eventId, body);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 1);
    // A later event proves the earlier ones were all processed before we count.
    String marker = fixtures.publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().stream().anyMatch(r -> marker.equals(r.header("webhook-id"))));
    assertEquals(2, receiver.received().size(), "post.scheduled is not subscribed; the repeated event is delivered once");
  }

  @Test
  void afterARotationBothTheOldAndTheNewSecretVerify() throws Exception {
    String endpointId = fixtures.endpoint(receiver.url(), "[\"*\"]", secret);
    String newSecret = WebhookFixtures.newSecret();
    fixtures.rotate(endpointId, newSecret, secret);
    fixtures.publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
    WebhookReceiver.Received delivery = receiver.received().get(0);
    assertEquals(2, delivery.header("webhook-signature").split(" ").length, delivery.header("webhook-signature"));
    new Webhook(newSecret).verify(delivery.body(), delivery.headers());
    new Webhook(secret).verify(delivery.body(), delivery.headers()); // receivers that have not switched yet
  }

  @Test
  void retryAfterOn429IsHonouredInsteadOfTheSchedule() throws Exception {
    String endpointId = fixtures.endpoint(receiver.url(), "[\"*\"]", secret);
    receiver.answerNext(429, Map.of("Retry-After", "3")); // the test schedule would retry after 1 s
    fixtures.publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 2);
    Duration gap = Duration.between(receiver.received().get(0).receivedAt(), receiver.received().get(1).receivedAt());
    assertTrue(gap.toMillis() >= 2900, "retried after " + gap.toMillis() + " ms, before the 3 s the receiver asked for");
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertEquals(List.of("succeeded:1=429-", "succeeded:2=200+"), fixtures.attempts(endpointId)));
  }
}
