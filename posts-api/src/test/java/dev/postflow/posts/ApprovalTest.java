package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Approval: a post created with requires_approval waits in pending_approval, is handed to no scheduler and cannot be
 * published, until it is approved; a rejection keeps the reviewer's reason until an edit submits the post again.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class ApprovalTest {

  @Test
  void aPostForApprovalIsScheduledOnlyOnceApprovedAndARejectionIsSentBackByAnEdit() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String at = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String post = as(key).body(Map.of("text", "Big news", "account_ids", List.of(account), "scheduled_at", at, "requires_approval", true))
        .post("/v1/posts").then().statusCode(201).body("status", equalTo("pending_approval"))
        .body("targets[0].status", equalTo("pending_approval")).body("scheduled_at", equalTo(at)).extract().path("id");
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.approval_requested\""), 1, Duration.ofSeconds(20));
    as(key).queryParam("status", "pending_approval").get("/v1/posts").then().statusCode(200).body("data.id", hasItem(post));

    as(key).post("/v1/posts/" + post + "/publish").then().statusCode(409).body("code", equalTo("approval_required"));
    as(key).body(Map.of("text", "Big news, edited")).patch("/v1/posts/" + post).then().statusCode(200)
        .body("status", equalTo("pending_approval")).body("text", equalTo("Big news, edited"));

    String reviewer = keyId(key);
    as(key).body(Map.of("reason", "Say which product")).post("/v1/posts/" + post + "/reject").then().statusCode(200)
        .body("status", equalTo("rejected")).body("targets[0].status", equalTo("rejected")).body("rejection_reason", equalTo("Say which product"))
        .body("reviewed_by", equalTo(reviewer)).body("reviewed_at", org.hamcrest.Matchers.notNullValue());
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.rejected\""), 1, Duration.ofSeconds(20));
    as(key).post("/v1/posts/" + post + "/approve").then().statusCode(409).body("code", equalTo("invalid_state"));

    as(key).body(Map.of("text", "Big news: the Model 2")).patch("/v1/posts/" + post).then().statusCode(200)
        .body("status", equalTo("pending_approval")).body("rejection_reason", nullValue()).body("reviewed_by", nullValue());
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.approval_requested\""), 2, Duration.ofSeconds(20));

    as(key).post("/v1/posts/" + post + "/approve").then().statusCode(200).body("status", equalTo("scheduled"))
        .body("targets[0].status", equalTo("scheduled")).body("scheduled_at", equalTo(at)).body("reviewed_by", equalTo(reviewer));
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.approved\""), 1, Duration.ofSeconds(20));
    // The scheduler hears of the post once, at its approval, for its one time.
    List<ConsumerRecord<String, String>> schedules = KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> post.equals(r.key()), 1, Duration.ofSeconds(20));
    assertEquals(1, schedules.size());
    assertEquals(true, schedules.get(0).value().contains("\"schedule_version\":1"), schedules.get(0).value());
    as(key).post("/v1/posts/" + post + "/approve").then().statusCode(409);
  }

  @Test
  void withoutATimeItIsPublishedOnceApprovedAndATimeThatPassedIsNotApproved() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String now = as(key).body(Map.of("text", "Now, once approved", "account_ids", List.of(account), "publish_now", true, "requires_approval", true))
        .post("/v1/posts").then().statusCode(201).body("status", equalTo("pending_approval")).body("scheduled_at", nullValue())
        .extract().path("id");
    as(key).post("/v1/posts/" + now + "/approve").then().statusCode(202).body("status", equalTo("publishing"));
    String request = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(now), 1, Duration.ofSeconds(20)).get(0).value();
    // The publisher's result: the published post still says who approved it (the results' batch path reads it too).
    String requestId = request.replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1");
    String targetId = request.replaceAll(".*\"target_id\":\"([^\"]+)\".*", "$1");
    KafkaTopics.send(Topics.PUBLISH_RESULTS, now, "{\"request_id\":\"" + requestId + "\",\"post_id\":\"" + now + "\",\"target_id\":\"" + targetId
        + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_a\",\"permalink\":\"http://sandbox/p/sbx_a\","
        + "\"published_at\":\"2026-06-01T09:00:01Z\",\"started_at\":\"2026-06-01T09:00:00Z\",\"duration_ms\":12,\"http_status\":201}");
    String published = KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> now.equals(r.key()) && r.value().contains("\"post.published\""), 1,
        Duration.ofSeconds(20)).get(0).value();
    assertEquals(true, published.contains("\"reviewed_by\":\"" + keyId(key) + "\""), published);

    Instant soon = Instant.now().plusSeconds(2);
    String late = as(key).body(Map.of("text", "Waited too long", "account_ids", List.of(account), "scheduled_at", soon.toString(),
            "requires_approval", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(soon));
    as(key).post("/v1/posts/" + late + "/approve").then().statusCode(409).body("code", equalTo("scheduled_at_passed"))
        .body("detail", containsString("PATCH a new scheduled_at"));
    as(key).get("/v1/posts/" + late).then().body("status", equalTo("pending_approval"));
    String later = Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    as(key).body(Map.of("scheduled_at", later)).patch("/v1/posts/" + late).then().statusCode(200).body("status", equalTo("pending_approval"));
    as(key).post("/v1/posts/" + late + "/approve").then().statusCode(200).body("status", equalTo("scheduled")).body("scheduled_at", equalTo(later));

    // Cancelled while it waits.
    String dropped = as(key).body(Map.of("text", "Never mind", "account_ids", List.of(account), "publish_now", true, "requires_approval", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/posts/" + dropped).then().statusCode(200).body("status", equalTo("cancelled"));
    as(key).post("/v1/posts/" + dropped + "/approve").then().statusCode(409);
  }

  @Test
  void aPostForApprovalSaysWhenItGoesOut() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    Map<String, Object> draft = new HashMap<>(Map.of("text", "x", "account_ids", List.of(account), "requires_approval", true));
    as(key).body(draft).post("/v1/posts").then().statusCode(400).body("errors[0].field", equalTo("requires_approval"))
        .body("errors[0].code", equalTo("conflicting_modes"));
    draft.put("draft", true);
    as(key).body(draft).post("/v1/posts").then().statusCode(400).body("errors.field", hasItem("requires_approval"));
    String post = as(key).body(Map.of("text", "x", "account_ids", List.of(account), "publish_now", true, "requires_approval", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("reason", "r".repeat(1001))).post("/v1/posts/" + post + "/reject").then().statusCode(400)
        .body("errors[0].field", equalTo("reason"));
    as(key).post("/v1/posts/" + post + "/reject").then().statusCode(200).body("status", equalTo("rejected"))
        .body("$", not(org.hamcrest.Matchers.hasKey("rejection_reason")));
    as(key).body(Map.of("url", "http://127.0.0.1:9/hooks", "events", List.of("post.approval_requested", "post.approved", "post.rejected")))
        .post("/v1/webhooks").then().statusCode(201);
  }

  /** A key made with requires_approval (an agent's): nothing it creates or reschedules goes out before another key approves it. */
  @Test
  void aKeyThatOnlySubmitsNeverPublishesWithoutApproval() {
    String full = Api.newWorkspace();
    String account = Api.sandboxAccount(full);
    String agent = as(full).body(Map.of("name", "agent", "requires_approval", true)).post("/v1/api-keys").then().statusCode(201)
        .body("requires_approval", equalTo(true)).extract().path("api_key");
    String at = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

    String submitted = as(agent).body(Map.of("text", "from the agent", "account_ids", List.of(account), "scheduled_at", at))
        .post("/v1/posts").then().statusCode(201).body("status", equalTo("pending_approval")).extract().path("id");
    as(agent).body(Map.of("posts", List.of(Map.of("text", "bulk", "account_ids", List.of(account), "publish_now", true))))
        .post("/v1/posts/bulk").then().statusCode(200).body("data[0].post.status", equalTo("pending_approval"));
    String draft = as(agent).body(Map.of("text", "a draft", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("draft")).extract().path("id");

    // It cannot approve, publish now or make itself a key without the restriction.
    as(agent).post("/v1/posts/" + submitted + "/approve").then().statusCode(403).body("code", equalTo("approval_required"));
    as(agent).post("/v1/posts/" + draft + "/publish").then().statusCode(403);
    as(agent).body(Map.of("name", "escape")).post("/v1/api-keys").then().statusCode(403);
    as(full).get("/v1/api-keys").then().statusCode(200).body("data.size()", equalTo(2))
        .body("data[0].name", equalTo("agent")).body("data[0].requires_approval", equalTo(true)).body("data[0].api_key", nullValue())
        .body("data[1].requires_approval", equalTo(false));

    // Scheduling its draft, or editing a post another key scheduled, makes the post wait for approval.
    as(agent).body(Map.of("scheduled_at", at)).patch("/v1/posts/" + draft).then().statusCode(200).body("status", equalTo("pending_approval"));
    String scheduled = as(full).body(Map.of("text", "approved copy", "account_ids", List.of(account), "scheduled_at", at))
        .post("/v1/posts").then().statusCode(201).body("status", equalTo("scheduled")).extract().path("id");
    as(agent).body(Map.of("text", "changed by the agent")).patch("/v1/posts/" + scheduled).then().statusCode(200)
        .body("status", equalTo("pending_approval")).body("scheduled_at", equalTo(at));
    // Its schedule was withdrawn: a hand-over of the old version is ignored; approval schedules it anew (version 3).
    List<ConsumerRecord<String, String>> schedules = KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> scheduled.equals(r.key()), 2, Duration.ofSeconds(20));
    assertEquals(true, schedules.get(1).value().contains("\"schedule_version\":2") && schedules.get(1).value().contains("\"due_at\":null"),
        schedules.get(1).value());
    // The reviewer approves the version they saw: an edit made meanwhile is not approved unseen.
    long seen = as(full).get("/v1/posts/" + scheduled).then().extract().<Integer>path("version");
    as(agent).body(Map.of("text", "changed again")).patch("/v1/posts/" + scheduled).then().statusCode(200);
    as(full).header("If-Match", "\"" + seen + "\"").post("/v1/posts/" + scheduled + "/approve").then().statusCode(412);
    as(full).post("/v1/posts/" + scheduled + "/approve").then().statusCode(200).body("status", equalTo("scheduled"))
        .body("text", equalTo("changed again"));
    as(full).post("/v1/posts/" + submitted + "/approve").then().statusCode(200).body("status", equalTo("scheduled"));
  }

  /** The id of a workspace's key, found by the prefix it shows. */
  private static String keyId(String key) {
    List<Map<String, Object>> keys = as(key).get("/v1/api-keys").then().statusCode(200).extract().path("data");
    return keys.stream().filter(k -> key.startsWith((String) k.get("prefix"))).map(k -> (String) k.get("id")).findFirst().orElseThrow();
  }
}
