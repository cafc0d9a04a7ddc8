package dev.postflow.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.platform.Platforms;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A publisher deployment with one platform switched off and only-own-platforms: it leaves that platform's requests to
 * the deployment that has it (which consumes with its own group) and publishes the rest.
 */
@QuarkusTest
@TestProfile(PlatformSwitchTest.InstagramElsewhere.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SandboxSimulator.class, restrictToAnnotatedClass = false)
class PlatformSwitchTest {
  public static class InstagramElsewhere implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("postflow.platforms.instagram.enabled", "false", "postflow.publisher.only-own-platforms", "true");
    }
  }

  @Inject SecretCipher cipher;
  @Inject Platforms platforms;
  private final ObjectMapper json = new ObjectMapper();

  private static String request(String target, String platform, String accountId) {
    return "{\"request_id\":\"" + target + ".1\",\"post_id\":\"post_1\",\"target_id\":\"" + target + "\",\"workspace_id\":\"ws_1\","
        + "\"account_id\":\"" + accountId + "\",\"platform\":\"" + platform + "\",\"attempt\":1,\"text\":\"Hello\",\"media_ids\":[],"
        + "\"platform_options\":{}}";
  }

  @Test
  void requestsForAPlatformSwitchedOffAreLeftToItsOwnDeployment() throws Exception {
    assertFalse(platforms.enabled().contains("instagram"));
    String account = PlatformTestAccounts.insert(cipher, "sandbox", "sbx-switch", "sandbox-token", Map.of());
    String instagramTarget = Ids.newId("tgt");
    String sandboxTarget = Ids.newId("tgt");
    // Same key, same partition: the Instagram request is taken first, the sandbox one after it.
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, account, request(instagramTarget, "instagram", account));
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, account, request(sandboxTarget, "sandbox", account));

    var results = KafkaTopics.await(Topics.PUBLISH_RESULTS, r -> r.value().contains(sandboxTarget), 1, Duration.ofSeconds(30));
    assertEquals("published", json.readTree(results.get(0).value()).get("outcome").asText());
    try (Connection connection = RealInfrastructure.jdbc();
        ResultSet row = connection.createStatement().executeQuery(
            "select state from publisher.publish_ledger where target_id = '" + instagramTarget + "'")) {
      assertNull(row.next() ? row.getString(1) : null, "the Instagram request was neither published nor failed here");
    }
  }
}
