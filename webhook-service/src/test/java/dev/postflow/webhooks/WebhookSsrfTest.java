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
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The connect-time check: URLs stored in the database (registered while the name pointed elsewhere, i.e. DNS
 * rebinding) are checked again after resolution, and nothing is sent. Names resolve through src/test/resources/hosts.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class WebhookSsrfTest {
  @Inject SecretCipher cipher;

  @Test
  void privateAddressesAreRefusedAtConnectTime() throws Exception {
    WebhookFixtures fixtures = new WebhookFixtures(cipher);
    List<String> hostile = List.of("http://internal.test:9/hooks", "http://metadata.test/latest/meta-data/",
        "http://169.254.169.254/latest/meta-data/", "http://router.test/", "http://[fd00::1]/", "http://2130706433/",
        "http://10.0.0.1/");
    List<String> endpoints = new java.util.ArrayList<>();
    for (String url : hostile) endpoints.add(fixtures.endpoint(url, "[\"*\"]", WebhookFixtures.newSecret()));
    try (WebhookReceiver marker = new WebhookReceiver()) {
      fixtures.endpoint(marker.url(), "[\"*\"]", WebhookFixtures.newSecret());
      fixtures.publish("post.published");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> marker.received().size() == 1);
    }
    for (int i = 0; i < hostile.size(); i++) {
      String endpointId = endpoints.get(i);
      String url = hostile.get(i);
      Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        List<String> attempts = new WebhookFixtures(cipher).attempts(endpointId);
        assertTrue(!attempts.isEmpty(), url + " has no attempt yet");
        assertTrue(attempts.get(0).contains("=0- unsafe_url"), url + ": " + attempts.get(0));
      });
    }
    assertEquals(hostile.size(), endpoints.size());
  }
}
