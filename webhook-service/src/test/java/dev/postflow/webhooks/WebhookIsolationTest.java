package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** One black-holed endpoint (accepts, never answers) does not slow the workspace's healthy endpoint. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class WebhookIsolationTest {
  @Inject SecretCipher cipher;

  @Test
  void aBlackHoledEndpointLeavesTheOthersUnaffected() throws Exception {
    WebhookFixtures fixtures = new WebhookFixtures(cipher);
    try (WebhookReceiver dead = new WebhookReceiver(); WebhookReceiver healthy = new WebhookReceiver()) {
      dead.blackHole();
      fixtures.endpoint(dead.url(), "[\"*\"]", WebhookFixtures.newSecret());
      fixtures.endpoint(healthy.url(), "[\"*\"]", WebhookFixtures.newSecret());
      int events = 60; // far more than there are senders: without a per-endpoint limit they would all hang on the dead one
      Map<String, Instant> sentAt = new HashMap<>();
      for (int i = 0; i < events; i++) {
        Instant now = Instant.now();
        sentAt.put(fixtures.publish("post.published"), now);
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> healthy.received().size() >= events);
      long worst = healthy.received().stream()
          .mapToLong(r -> Duration.between(sentAt.get(r.header("webhook-id")), r.receivedAt()).toMillis()).max().orElseThrow();
      // The attempt timeout is 2 s in tests: a healthy delivery that waited behind a dead one would take longer.
      assertTrue(worst < 1500, "slowest healthy delivery took " + worst + " ms");
      assertEquals(events, healthy.received().stream().map(r -> r.header("webhook-id")).distinct().count());
      // At most 4 attempts on the dead endpoint at a time (postflow.webhooks.per-endpoint-concurrency): each holds its
      // sender for the 2 s attempt timeout, so no 1.5 s window may see more than 4 start. (A total count would depend on
      // how long the healthy deliveries take: every 2 s the timed-out senders free and the next 4 start.)
      List<Instant> deadAt = dead.received().stream().map(WebhookReceiver.Received::receivedAt).sorted().toList();
      assertTrue(deadAt.size() >= 4, "the dead endpoint was tried: " + deadAt.size());
      for (Instant start : deadAt) {
        long inWindow = deadAt.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusMillis(1500))).count();
        assertTrue(inWindow <= 4, "the dead endpoint holds at most its share of senders: " + inWindow + " started within 1.5 s of " + start);
      }
    }
  }
}
