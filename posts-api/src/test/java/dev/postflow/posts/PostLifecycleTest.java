package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The post lifecycle through the real broker and database: outbox out, due and results in. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class PostLifecycleTest {
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode read(String text) {
    try {
      return json.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void scheduledPostIsHandedToSchedulerThenPublishedWhenDueAndResultArrives() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String at = Instant.now().plusSeconds(3600).toString();
    String postId = as(key).body(Map.of("text", "Launching next week.", "account_ids", List.of(account), "scheduled_at", at,
            "external_id", "cms-4711", "metadata", Map.of("campaign", "spring")))
        .post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("scheduled"))
        .body("targets[0].status", equalTo("scheduled"))
        .body("targets[0].platform", equalTo("sandbox"))
        .body("metadata.campaign", equalTo("spring"))
        .extract().path("id");

    // The outbox relay hands the schedule to the scheduler's topic.
    ConsumerRecord<String, String> schedule = KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> postId.equals(r.key()), 1, Duration.ofSeconds(20)).get(0);
    JsonNode request = read(schedule.value());
    assertEquals(1, request.get("schedule_version").asLong());
    assertEquals(Instant.parse(at), Instant.parse(request.get("due_at").asText()));
    // ... and announces post.scheduled on the public stream with CloudEvents headers.
    ConsumerRecord<String, String> scheduled = KafkaTopics.await(Topics.LIFECYCLE_EVENTS,
        r -> postId.equals(r.key()) && r.value().contains("\"post.scheduled\""), 1, Duration.ofSeconds(20)).get(0);
    assertEquals("1.0", new String(scheduled.headers().lastHeader("ce_specversion").value()));
    assertEquals("post.scheduled", new String(scheduled.headers().lastHeader("ce_type").value()));

    // A due hand-over of an old schedule version is ignored; the current one claims the target.
    KafkaTopics.send(Topics.POSTS_DUE, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":0,\"due_at\":\"" + at + "\"}");
    KafkaTopics.send(Topics.POSTS_DUE, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + at + "\"}");
    KafkaTopics.send(Topics.POSTS_DUE, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + at + "\"}");
    ConsumerRecord<String, String> publish = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(postId), 1, Duration.ofSeconds(20)).get(0);
    JsonNode publishRequest = read(publish.value());
    assertEquals(account, publish.key(), "keyed by account so one account's posts stay in order");
    String targetId = publishRequest.get("target_id").asText();
    assertEquals(targetId + ".1", publishRequest.get("request_id").asText());
    assertEquals("Launching next week.", publishRequest.get("text").asText());
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        as(key).get("/v1/posts/" + postId).then().body("status", equalTo("publishing")).body("targets[0].attempts", equalTo(1)));

    // The publisher's result, delivered twice, is applied once.
    String result = "{\"request_id\":\"" + targetId + ".1\",\"post_id\":\"" + postId + "\",\"target_id\":\"" + targetId
        + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_1\",\"permalink\":\"http://sandbox/p/sbx_1\","
        + "\"published_at\":\"2026-06-01T09:00:01Z\",\"started_at\":\"2026-06-01T09:00:00Z\",\"duration_ms\":12,\"http_status\":201}";
    KafkaTopics.send(Topics.PUBLISH_RESULTS, postId, result);
    KafkaTopics.send(Topics.PUBLISH_RESULTS, postId, result);
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        as(key).get("/v1/posts/" + postId).then()
            .body("status", equalTo("published"))
            .body("published_at", notNullValue())
            .body("targets[0].status", equalTo("published"))
            .body("targets[0].platform_post_id", equalTo("sbx_1"))
            .body("targets[0].permalink", equalTo("http://sandbox/p/sbx_1")));
    as(key).get("/v1/posts/" + postId + "/attempts").then().statusCode(200).body("data.size()", equalTo(1))
        .body("data[0].outcome", equalTo("published"));

    // Exactly one publish request was ever made, whatever was delivered twice.
    List<ConsumerRecord<String, String>> published = KafkaTopics.await(Topics.LIFECYCLE_EVENTS,
        r -> postId.equals(r.key()) && r.value().contains("\"post.published\""), 1, Duration.ofSeconds(20));
    assertEquals(1, published.size());
  }

  @Test
  void aHandOverOutlastsADatabaseThatRefusesItLongerThanAnyRetryBudget() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String at = Instant.now().plusSeconds(3600).toString();
    String postId = as(key).body(Map.of("text", "outage", "account_ids", List.of(account), "scheduled_at", at))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    try (java.sql.Connection db = dev.postflow.testsupport.RealInfrastructure.jdbc(); java.sql.Statement sql = db.createStatement()) {
      // Until the trigger goes, every transaction that claims this post fails as if the database were restarting
      // (SQLSTATE 57P03); a sequence (not rolled back) counts the refused tries.
      sql.execute("drop sequence if exists public.refused_claims");
      sql.execute("create sequence public.refused_claims");
      sql.execute("create or replace function public.refuse_claim() returns trigger language plpgsql as $$ begin"
          + " perform nextval('public.refused_claims'); raise exception 'the database is restarting' using errcode = 'cannot_connect_now'; end $$");
      sql.execute("create trigger refuse_claim before update on posts.post_target for each row when (old.post_id = '" + postId + "')"
          + " execute function public.refuse_claim()");
      try {
        KafkaTopics.send(Topics.POSTS_DUE, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + at + "\"}");
        // More refusals than a batch whose data is refused is given (StorageRetry.TRIES) before the dead-letter topic.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> refusedClaims(sql) > dev.postflow.contract.StorageRetry.TRIES + 2);
        as(key).get("/v1/posts/" + postId).then().body("status", equalTo("scheduled"));
      } finally {
        sql.execute("drop trigger refuse_claim on posts.post_target");
      }
    }
    // The database is back: the same hand-over is applied, not lost to the dead-letter topic.
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(key).get("/v1/posts/" + postId).then()
        .body("status", equalTo("publishing")).body("targets[0].status", equalTo("publishing")));
    KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(postId), 1, Duration.ofSeconds(20));
  }

  private static long refusedClaims(java.sql.Statement sql) throws java.sql.SQLException {
    try (java.sql.ResultSet row = sql.executeQuery("select case when is_called then last_value else 0 end from public.refused_claims")) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void cancelledPostIsNeverClaimedEvenWhenItsDueHandOverArrives() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String at = Instant.now().plusSeconds(3600).toString();
    String postId = as(key).body(Map.of("text", "never", "account_ids", List.of(account), "scheduled_at", at))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/posts/" + postId).then().statusCode(200)
        .body("status", equalTo("cancelled")).body("targets[0].status", equalTo("cancelled"));
    // The scheduler is told the post is no longer due (version 2, no due_at).
    KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> postId.equals(r.key()) && r.value().contains("\"schedule_version\":2")
        && r.value().contains("\"due_at\":null"), 1, Duration.ofSeconds(20));
    KafkaTopics.send(Topics.POSTS_DUE, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + at + "\"}");
    // A later post of the same account is claimed, so the earlier due message was surely consumed by then.
    String later = as(key).body(Map.of("text", "later", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).body("status", equalTo("publishing")).extract().path("id");
    KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(later), 1, Duration.ofSeconds(20));
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        as(key).get("/v1/posts/" + postId).then().body("status", equalTo("cancelled")));
    // Cancelling twice or cancelling a publishing post is refused.
    as(key).delete("/v1/posts/" + later).then().statusCode(409).body("code", equalTo("invalid_state"));
    assertTrue(KafkaTopicsCount.none(Topics.PUBLISH_REQUESTS, postId));
  }

  @Test
  void reschedulingIsExactAndEditsAreGuardedByVersion() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    Instant first = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant moved = first.plusSeconds(3600);
    String postId = as(key).body(Map.of("text", "v1", "account_ids", List.of(account), "scheduled_at", first.toString()))
        .post("/v1/posts").then().statusCode(201).header("ETag", "\"1\"").extract().path("id");

    as(key).header("If-Match", "\"7\"").body(Map.of("text", "stale edit")).patch("/v1/posts/" + postId).then().statusCode(412)
        .body("code", equalTo("version_conflict"));
    as(key).header("If-Match", "\"1\"").body(Map.of("scheduled_at", moved.toString(), "text", "v2"))
        .patch("/v1/posts/" + postId).then().statusCode(200).header("ETag", "\"2\"")
        .body("status", equalTo("scheduled")).body("text", equalTo("v2")).body("scheduled_at", equalTo(moved.toString()));
    KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> postId.equals(r.key()) && r.value().contains("\"schedule_version\":2")
        && r.value().contains(moved.toString()), 1, Duration.ofSeconds(20));

    // The old time's hand-over (already in Kafka, say) is ignored; the post stays scheduled for its new time.
    KafkaTopics.send(Topics.POSTS_DUE, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + first + "\"}");
    String marker = as(key).body(Map.of("text", "marker", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(marker), 1, Duration.ofSeconds(20));
    as(key).get("/v1/posts/" + postId).then().body("status", equalTo("scheduled")).body("targets[0].attempts", equalTo(0));

    // Back to draft: the scheduler is told it is no longer due.
    as(key).body("{\"scheduled_at\": null}").patch("/v1/posts/" + postId).then().statusCode(200)
        .body("status", equalTo("draft")).body("targets[0].status", equalTo("draft")).body("scheduled_at", equalTo(null));
    KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> postId.equals(r.key()) && r.value().contains("\"schedule_version\":3")
        && r.value().contains("\"due_at\":null"), 1, Duration.ofSeconds(20));

    // Validation and state rules.
    as(key).body(Map.of("scheduled_at", "2026-01-01T10:00:00", "targets", List.of())).patch("/v1/posts/" + postId).then().statusCode(400)
        .body("errors.code", org.hamcrest.Matchers.hasItems("naive_time", "not_patchable"));
    as(key).body(Map.of("text", "x".repeat(5001))).patch("/v1/posts/" + postId).then().statusCode(200); // a draft may wait
    as(key).body(Map.of("scheduled_at", moved.toString())).patch("/v1/posts/" + postId).then().statusCode(400)
        .body("errors[0].code", equalTo("text_too_long"));
    as(key).body(Map.of("text", "late")).patch("/v1/posts/" + marker).then().statusCode(409).body("code", equalTo("invalid_state"));
    as(key).header("If-Match", "\"1\"").delete("/v1/posts/" + postId).then().statusCode(412);
  }

  @Test
  void aFailedTargetIsRetriedAsANewAttemptAndALateResultOfTheOldOneIsIgnored() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String postId = as(key).body(Map.of("text", "retry me", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    JsonNode request = read(KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(postId), 1, Duration.ofSeconds(20)).get(0).value());
    String targetId = request.get("target_id").asText();
    as(key).post("/v1/posts/" + postId + "/retry").then().statusCode(409).body("code", equalTo("invalid_state"));
    KafkaTopics.send(Topics.PUBLISH_RESULTS, postId, "{\"request_id\":\"" + targetId + ".1\",\"post_id\":\"" + postId + "\",\"target_id\":\""
        + targetId + "\",\"outcome\":\"failed\",\"error\":{\"code\":\"provider_error\",\"category\":\"provider\",\"message\":\"503\","
        + "\"retryable\":true,\"provider_code\":null,\"action\":\"retry\"},\"duration_ms\":5,\"http_status\":503}");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + postId).then()
        .body("status", equalTo("failed")).body("targets[0].error.code", equalTo("provider_error")));

    as(key).post("/v1/posts/" + postId + "/retry").then().statusCode(202).body("status", equalTo("publishing"))
        .body("targets[0].attempts", equalTo(2)).body("targets[0].error", equalTo(null));
    KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains("\"" + targetId + ".2\""), 1, Duration.ofSeconds(20));
    // A late copy of attempt 1's result changes nothing; attempt 2's result publishes.
    KafkaTopics.send(Topics.PUBLISH_RESULTS, postId, "{\"request_id\":\"" + targetId + ".1\",\"post_id\":\"" + postId + "\",\"target_id\":\""
        + targetId + "\",\"outcome\":\"failed\",\"duration_ms\":5}");
    KafkaTopics.send(Topics.PUBLISH_RESULTS, postId, "{\"request_id\":\"" + targetId + ".2\",\"post_id\":\"" + postId + "\",\"target_id\":\""
        + targetId + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_2\",\"permalink\":\"p\",\"duration_ms\":5,\"http_status\":201}");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + postId).then()
        .body("status", equalTo("published")).body("targets[0].platform_post_id", equalTo("sbx_2")));
    as(key).get("/v1/posts/" + postId + "/attempts").then().body("data.size()", equalTo(2))
        .body("data[0].outcome", equalTo("failed")).body("data[0].error.code", equalTo("provider_error"))
        .body("data[1].outcome", equalTo("published"));
  }

  /** Hundreds of hand-overs and results in one polled batch each: all claimed once, all applied once. */
  @Test
  void largeBatchesOfHandOversAndResultsAreAppliedWhole() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String at = Instant.now().plusSeconds(7200).toString();
    int count = 300;
    Map<String, String> handOvers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String postId = as(key).body(Map.of("text", "batch " + i, "account_ids", List.of(account), "scheduled_at", at))
          .post("/v1/posts").then().statusCode(201).extract().path("id");
      handOvers.put(postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + at + "\"}");
    }
    KafkaTopics.sendAll(Topics.POSTS_DUE, handOvers);
    List<ConsumerRecord<String, String>> requests =
        KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> handOvers.keySet().stream().anyMatch(r.value()::contains), count, Duration.ofSeconds(60));
    Map<String, String> results = new java.util.LinkedHashMap<>();
    for (ConsumerRecord<String, String> record : requests) {
      JsonNode request = read(record.value());
      String postId = request.get("post_id").asText();
      results.put(postId, "{\"request_id\":\"" + request.get("request_id").asText() + "\",\"post_id\":\"" + postId
          + "\",\"target_id\":\"" + request.get("target_id").asText() + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_" + postId
          + "\",\"published_at\":\"2026-06-01T09:00:01Z\",\"started_at\":\"2026-06-01T09:00:00Z\",\"duration_ms\":5,\"http_status\":201}");
    }
    assertEquals(handOvers.keySet(), results.keySet(), "one publish request per post");
    KafkaTopics.sendAll(Topics.PUBLISH_RESULTS, results);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> publishedCount(key) == count);
  }

  private static int publishedCount(String key) {
    int published = 0;
    String cursor = null;
    do {
      var page = (cursor == null ? as(key) : as(key).queryParam("cursor", cursor)).queryParam("status", "published").queryParam("limit", "100")
          .get("/v1/posts").then().statusCode(200).extract();
      published += page.<List<Object>>path("data").size();
      cursor = page.path("next_cursor");
    } while (cursor != null);
    return published;
  }
}
