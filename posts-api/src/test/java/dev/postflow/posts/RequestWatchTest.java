package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.contract.Topics;
import dev.postflow.posts.post.RequestWatch;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A request to a publisher that is never answered (lost on its way, as the chaos run once showed) is sent again after
 * resend-after: the same request, with the same id, so the publisher's ledger answers it without a second post; never
 * again once it was answered, and at most max-resends times. The watch rows are aged in the database instead of
 * waiting the 30 minutes, and a round is run directly.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class RequestWatchTest {
  @Inject RequestWatch watch;
  @Inject AgroalDataSource dataSource;

  @Test
  void anUnansweredPublishRequestIsSentAgainWithItsIdAndNotOnceAnswered() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String post = publishNow(key, account, "Lost on the way");
    String request = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(post), 1, Duration.ofSeconds(20)).get(0).value();
    String requestId = field(request, "request_id");
    String target = field(request, "target_id");
    assertEquals(1, watchRows(target), "the request is watched from the statement that wrote it");

    // Not yet due: a round leaves it.
    watch.resendUnanswered();
    assertEquals(1, watchRows(target));

    // No answer for resend-after: the same request again, with its id and attempt; nothing else about the post changes.
    age(target);
    watch.resendUnanswered();
    List<ConsumerRecord<String, String>> copies = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(requestId), 2,
        Duration.ofSeconds(20));
    assertEquals(account, copies.get(1).key(), "keyed by account, so it joins the account's lane");
    assertEquals(field(request, "text"), field(copies.get(1).value(), "text"));
    assertEquals(request.replaceAll(".*\"attempt\":(\\d+).*", "$1"), copies.get(1).value().replaceAll(".*\"attempt\":(\\d+).*", "$1"));
    as(key).get("/v1/posts/" + post).then().statusCode(200).body("status", equalTo("publishing"))
        .body("targets[0].status", equalTo("publishing"));
    assertEquals(1, watchRows(target), "the copy is watched again");

    // Answered (here by the first delivery's result): its watch is dropped without another copy.
    answerPublished(key, post, request);
    age(target);
    watch.resendUnanswered();
    assertEquals(0, watchRows(target), "taken, and not watched again: nothing was sent");
    assertEquals(0, outboxRowsNaming(requestId), "no third copy waits in the outbox");
  }

  @Test
  void anUnansweredEditIsSentAgainAtMostMaxResendsTimes() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String post = publishNow(key, account, "Sale ends Friday");
    String request = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(post), 1, Duration.ofSeconds(20)).get(0).value();
    String target = field(request, "target_id");
    answerPublished(key, post, request);
    age(target); // the publish request's watch: answered, so taken without a copy
    watch.resendUnanswered();
    assertEquals(0, watchRows(target));

    as(key).body(Map.of("text", "Sale ends Saturday")).post("/v1/posts/" + post + "/edit").then().statusCode(202);
    String edit = KafkaTopics.await(Topics.EDIT_REQUESTS, r -> r.value().contains(post), 1, Duration.ofSeconds(20)).get(0).value();
    String editId = field(edit, "request_id");
    for (int resend = 1; resend <= 3; resend++) { // max-resends: 3
      age(target);
      watch.resendUnanswered();
      assertEquals(1, watchRows(target), "resend " + resend + " is watched");
    }
    List<ConsumerRecord<String, String>> copies = KafkaTopics.await(Topics.EDIT_REQUESTS, r -> r.value().contains(editId), 4, Duration.ofSeconds(20));
    for (ConsumerRecord<String, String> copy : copies) assertEquals("Sale ends Saturday", field(copy.value(), "text"));

    age(target);
    watch.resendUnanswered();
    assertEquals(0, watchRows(target), "after the last resend the request is left to an operator");
    assertEquals(0, outboxRowsNaming(editId));
    as(key).get("/v1/posts/" + post).then().body("status", equalTo("editing")).body("targets[0].status", equalTo("editing"));
  }

  private static String publishNow(String key, String account, String text) {
    return as(key).body(Map.of("text", text, "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
  }

  /** The publisher's answer to {@code request}: published; waits until the post shows it. */
  private static void answerPublished(String key, String post, String request) {
    KafkaTopics.send(Topics.PUBLISH_RESULTS, post, "{\"request_id\":\"" + field(request, "request_id") + "\",\"post_id\":\"" + post
        + "\",\"target_id\":\"" + field(request, "target_id") + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_" + post
        + "\",\"permalink\":\"http://sandbox/p/" + post + "\",\"published_at\":\"2026-06-01T09:00:01Z\",\"started_at\":\"2026-06-01T09:00:00Z\","
        + "\"duration_ms\":12,\"http_status\":201}");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + post).then().body("status", equalTo("published")));
  }

  /** Watch rows naming the target (in a request id, <target id>.<attempt>). */
  private long watchRows(String target) throws Exception {
    return count("select count(*) from posts.request_watch where exists (select from unnest(request_ids) r where split_part(r, '.', 1) = ?)",
        target);
  }

  /** Outbox rows (single or batch) still holding a message with this text, e.g. a request id. */
  private long outboxRowsNaming(String text) throws Exception {
    return count("select count(*) from posts.outbox_message where coalesce(payload, array_to_string(batch, ' ')) like '%' || ? || '%'", text);
  }

  /** Makes the target's watch rows look sent an hour ago (resend-after is 30 minutes). */
  private void age(String target) throws Exception {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement sql = connection.prepareStatement("update posts.request_watch set sent_at = sent_at - interval '1 hour'"
             + " where exists (select from unnest(request_ids) r where split_part(r, '.', 1) = ?)")) {
      sql.setString(1, target);
      sql.executeUpdate();
    }
  }

  private long count(String query, String parameter) throws Exception {
    try (Connection connection = dataSource.getConnection(); PreparedStatement sql = connection.prepareStatement(query)) {
      sql.setString(1, parameter);
      try (ResultSet rows = sql.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static String field(String json, String name) {
    return json.replaceAll(".*\"" + name + "\":\"([^\"]+)\".*", "$1");
  }
}
