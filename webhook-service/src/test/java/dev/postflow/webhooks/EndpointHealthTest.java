package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.CloudEvents;
import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 410 disables an endpoint at once; failing for longer than disable-after (4 s in tests) disables it too; the workspace is told. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class EndpointHealthTest {
  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  private WebhookReceiver failing;
  private WebhookReceiver watcher;
  private WebhookFixtures fixtures;

  @BeforeEach
  void setUp() {
    failing = new WebhookReceiver();
    watcher = new WebhookReceiver();
    fixtures = new WebhookFixtures(cipher);
  }

  @AfterEach
  void tearDown() {
    failing.close();
    watcher.close();
  }

  @Test
  void goneDisablesTheEndpointAndTellsTheWorkspace() throws Exception {
    String endpointId = fixtures.endpoint(failing.url(), "[\"*\"]", WebhookFixtures.newSecret());
    fixtures.endpoint(watcher.url(), "[\"webhook.endpoint_disabled\", \"post.failed\"]", WebhookFixtures.newSecret());
    failing.answerNext(410);
    fixtures.publish("post.published");

    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertEquals("disabled: the endpoint answered 410 Gone", fixtures.status(endpointId)));
    assertEquals(List.of("failed:1=410-"), fixtures.attempts(endpointId), "410 is not retried");

    ConsumerRecord<String, String> event = KafkaTopics.await(Topics.LIFECYCLE_EVENTS,
        r -> r.value().contains(endpointId) && r.value().contains("webhook.endpoint_disabled"), 1, Duration.ofSeconds(20)).get(0);
    assertEquals(endpointId, event.key());
    assertEquals(fixtures.workspaceId, new String(event.headers().lastHeader(CloudEvents.WORKSPACE).value(), StandardCharsets.UTF_8));
    assertEquals("webhook.endpoint_disabled", new String(event.headers().lastHeader(CloudEvents.TYPE).value(), StandardCharsets.UTF_8));
    JsonNode data = json.readTree(event.value()).get("data");
    assertEquals("disabled", data.get("status").asText());

    // The workspace's other endpoint, subscribed to it, receives the event as a webhook.
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> watcher.received().stream()
        .anyMatch(r -> r.body().contains("webhook.endpoint_disabled") && r.body().contains(endpointId)));

    // A disabled endpoint gets no more deliveries: a later event is fanned out to the watcher only.
    String marker = fixtures.publish("post.failed");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> watcher.received().stream().anyMatch(r -> marker.equals(r.header("webhook-id"))));
    assertEquals(1, failing.received().size());
    assertEquals(List.of("failed:1=410-"), fixtures.attempts(endpointId));
  }

  @Test
  void anEndpointFailingForLongerThanDisableAfterIsDisabled() throws Exception {
    String endpointId = fixtures.endpoint(failing.url(), "[\"post.published\"]", WebhookFixtures.newSecret());
    for (int i = 0; i < 100; i++) failing.answerNext(500);
    long started = System.nanoTime();
    // Keep events coming (retries alone end after 3 s in tests) until the endpoint has failed for 4 s.
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      fixtures.publish("post.published");
      return String.valueOf(fixtures.status(endpointId)).startsWith("disabled: every delivery failed since");
    });
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertTrue(seconds >= 4, "disabled after " + seconds + " s, before disable-after (4 s)");
  }
}
