package dev.postflow.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.PrometheusMetrics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SandboxSimulator.class, restrictToAnnotatedClass = false)
class PublisherTest {
  private final ObjectMapper json = new ObjectMapper();
  @Inject SecretCipher cipher;
  private String accountId;

  /** posts-api owns posts.account; here the test writes the columns publisher-service reads. */
  @BeforeEach
  void account() throws Exception {
    accountId = Ids.newId("acc");
    try (Connection connection = RealInfrastructure.jdbc()) {
      PlatformTestAccounts.ensureAccountTable(connection);
      try (PreparedStatement insert = connection.prepareStatement("insert into posts.account (id, platform, external_id, access_token, status,"
          + " platform_fields) values (?, 'sandbox', 'sbx-1', ?, ?, '{}')")) {
        insert.setString(1, accountId);
        insert.setString(2, cipher.encrypt("sandbox-token-" + accountId));
        insert.setString(3, "active");
        insert.executeUpdate();
      }
    }
  }

  private String request(String targetId, int attempt, String options) {
    return "{\"request_id\":\"" + targetId + "." + attempt + "\",\"post_id\":\"post_1\",\"target_id\":\"" + targetId
        + "\",\"workspace_id\":\"ws_1\",\"account_id\":\"" + accountId + "\",\"platform\":\"sandbox\",\"attempt\":" + attempt
        + ",\"text\":\"Hello\",\"media_ids\":[],\"platform_options\":" + options + "}";
  }

  private List<JsonNode> results(String targetId, int count) throws Exception {
    List<ConsumerRecord<String, String>> records =
        KafkaTopics.await(Topics.PUBLISH_RESULTS, r -> r.value().contains("\"" + targetId + "\""), count, Duration.ofSeconds(30));
    List<JsonNode> results = new java.util.ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      assertEquals("post_1", record.key());
      results.add(json.readTree(record.value()));
    }
    return results;
  }

  @Test
  void publishesWithTheAccountsTokenAndReportsTheProvidersId() throws Exception {
    double published = PrometheusMetrics.value("postflow_results_sent_total", PUBLISHED);
    double calls = PrometheusMetrics.value("postflow_platform_call_seconds_count", "platform=sandbox", "kind=publish");
    String target = Ids.newId("tgt");
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("published", result.get("outcome").asText());
    assertTrue(result.get("platform_post_id").asText().startsWith("sbx_"));
    assertTrue(result.get("permalink").asText().contains(result.get("platform_post_id").asText()));
    assertEquals(201, result.get("http_status").asInt());
    assertEquals(1, SandboxSimulator.postsFor(target));
    assertTrue(SandboxSimulator.authorizations.contains("Bearer sandbox-token-" + accountId), "decrypted token sent as bearer");
    // Operators see it in /q/metrics: the answer per platform and outcome, and how long the platform took.
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertTrue(PrometheusMetrics.value("postflow_results_sent_total", PUBLISHED) >= published + 1);
      assertTrue(PrometheusMetrics.value("postflow_platform_call_seconds_count", "platform=sandbox", "kind=publish") >= calls + 1);
    });
  }

  private static final String[] PUBLISHED = {"platform=sandbox", "kind=publish", "outcome=published", "category=none"};

  @Test
  void aRedeliveredRequestIsAnsweredFromTheLedgerNotPublishedAgain() throws Exception {
    String target = Ids.newId("tgt");
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    List<JsonNode> results = results(target, 2);
    assertEquals(results.get(0).get("platform_post_id"), results.get(1).get("platform_post_id"));
    assertEquals(1, SandboxSimulator.postsFor(target));
    assertEquals(1, SandboxSimulator.callsFor(target));
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenPublishedOnce() throws Exception {
    String target = Ids.newId("tgt");
    SandboxSimulator.failFirst.put(target, 2);
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("published", result.get("outcome").asText());
    assertEquals(3, SandboxSimulator.callsFor(target));
    assertEquals(1, SandboxSimulator.postsFor(target));
  }

  @Test
  void aPlatformDownForLongerThanTheQuickRetriesIsRetriedLaterNotReportedAsFailed() throws Exception {
    String target = Ids.newId("tgt");
    SandboxSimulator.failFirst.put(target, 9); // more 5xx answers than the quick retries (1 + 3) absorb
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    List<JsonNode> results = results(target, 1);
    assertEquals("published", results.get(0).get("outcome").asText());
    assertEquals(10, SandboxSimulator.callsFor(target));
    assertEquals(1, SandboxSimulator.postsFor(target));
  }

  @Test
  void oneAccountsPostsReachThePlatformInTheOrderTheyWereRequested() throws Exception {
    List<String> targets = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) targets.add(Ids.newId("tgt"));
    SandboxSimulator.failFirst.put(targets.get(0), 2); // stored only on its third call, after the retries' backoff
    SandboxSimulator.failFirst.put(targets.get(5), 2);
    for (String target : targets) KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    for (String target : targets) assertEquals("published", results(target, 1).get(0).get("outcome").asText());
    List<String> received = SandboxSimulator.posts.stream().map(p -> p.path("client_ref").asText()).filter(targets::contains).toList();
    assertEquals(targets, received, "the next post of the account waits until the platform has answered the one before");
  }

  @Test
  void aContentRejectionFailsWithoutRetryAndSaysWhatToFix() throws Exception {
    String[] rejected = {"platform=sandbox", "kind=publish", "outcome=failed", "category=content"};
    double before = PrometheusMetrics.value("postflow_results_sent_total", rejected);
    String target = Ids.newId("tgt");
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{\"outcome\":\"failed:media_invalid\"}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("failed", result.get("outcome").asText());
    JsonNode error = result.get("error");
    assertEquals("media_invalid", error.get("code").asText());
    assertEquals("content", error.get("category").asText());
    assertFalse(error.get("retryable").asBoolean());
    assertFalse(error.get("action").asText().isBlank());
    assertEquals(1, SandboxSimulator.callsFor(target));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertTrue(PrometheusMetrics.value("postflow_results_sent_total", rejected) >= before + 1));
  }

  @Test
  void aTimeoutAfterThePlatformPublishedIsReconciledNotRepeated() throws Exception {
    String target = Ids.newId("tgt");
    SandboxSimulator.answerLate.put(target, 2500L); // the publish timeout is 1 s in tests
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("published", result.get("outcome").asText());
    assertEquals(1, SandboxSimulator.callsFor(target), "never a blind retry after an ambiguous outcome");
    assertEquals(1, SandboxSimulator.postsFor(target));
  }

  @Test
  void aLookupThatGetsNoAnswerIsAskedAgainBeforeTheTargetIsUnconfirmed() throws Exception {
    String target = Ids.newId("tgt");
    SandboxSimulator.answerLate.put(target, 2500L);      // the answer is lost (publish timeout 1 s in tests)...
    SandboxSimulator.failLookupsFirst.put(target, 2);    // ...and the platform answers its first two lookups with 503
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("published", result.get("outcome").asText(), "the third lookup finds the post");
    assertEquals(3, SandboxSimulator.lookupsFor(target));
    assertEquals(1, SandboxSimulator.callsFor(target), "never a blind retry after an ambiguous outcome");
  }

  @Test
  void aCallCutOffBeforeItLandedIsSentOnceMoreUnderTheSameKey() throws Exception {
    String target = Ids.newId("tgt");
    SandboxSimulator.cutOff.add(target); // the first create never lands and never answers (publish timeout 1 s in tests)
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("published", result.get("outcome").asText(), "the lookup found nothing, so the keyed create was sent again");
    assertEquals(1, SandboxSimulator.lookupsFor(target), "asked before sending again");
    assertEquals(2, SandboxSimulator.callsFor(target));
    assertEquals(1, SandboxSimulator.postsFor(target));
    assertEquals(0, SandboxSimulator.repeatsFor(target));
  }

  @Test
  void aCallThatLandsAfterTheLookupFoundNothingIsAnsweredByTheKeyNotPublishedTwice() throws Exception {
    String target = Ids.newId("tgt");
    SandboxSimulator.landsAfterLookup.add(target); // the first create lands only after the lookup answered "not found"
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("published", result.get("outcome").asText());
    assertEquals(2, SandboxSimulator.callsFor(target));
    assertEquals(1, SandboxSimulator.postsFor(target), "the platform held the key to one post");
    assertEquals(1, SandboxSimulator.repeatsFor(target), "the second create was answered with the first post");
    assertEquals(200, result.get("http_status").asInt());
  }

  @Test
  void aDisconnectedAccountFailsAsAnAuthProblem() throws Exception {
    try (Connection connection = RealInfrastructure.jdbc()) {
      connection.createStatement().execute("update posts.account set status = 'disconnected' where id = '" + accountId + "'");
    }
    String target = Ids.newId("tgt");
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, accountId, request(target, 1, "{}"));
    JsonNode result = results(target, 1).get(0);
    assertEquals("failed", result.get("outcome").asText());
    assertEquals("auth", result.get("error").get("category").asText());
    assertEquals(0, SandboxSimulator.callsFor(target));
  }
}
