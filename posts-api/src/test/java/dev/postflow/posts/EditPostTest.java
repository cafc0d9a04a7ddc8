package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Editing a published post on its platforms: the chosen targets are editing while an edit request is out, and take
 * the new text only once the platform took it (edited); a refused edit keeps the earlier text and says why.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class EditPostTest {

  @Test
  void aPublishedPostTakesItsNewTextOnceThePlatformTookIt() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String post = publishedPost(key, account, "Sale ends Friday");

    as(key).body(Map.of("text", "Sale ends Saturday")).header("Idempotency-Key", "edit-1").post("/v1/posts/" + post + "/edit").then()
        .statusCode(202).body("status", equalTo("editing")).body("targets[0].status", equalTo("editing"))
        .body("targets[0].text", Matchers.nullValue()); // not yet: only once the platform took it
    as(key).body(Map.of("text", "Sale ends Saturday")).header("Idempotency-Key", "edit-1").post("/v1/posts/" + post + "/edit").then()
        .statusCode(202).header("Idempotent-Replayed", "true");
    String request = KafkaTopics.await(Topics.EDIT_REQUESTS, r -> r.value().contains(post), 1, Duration.ofSeconds(20)).get(0).value();
    assertTrue(request.contains("\"text\":\"Sale ends Saturday\"") && request.contains("\"platform_post_id\":\"sbx_" + post + "\""), request);
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.editing\""), 1, Duration.ofSeconds(20));
    as(key).post("/v1/posts/" + post + "/unpublish").then().statusCode(409);
    as(key).body(Map.of("text", "again")).post("/v1/posts/" + post + "/edit").then().statusCode(409).body("code", equalTo("invalid_state"));

    sendResult(post, request, "\"outcome\":\"edited\",\"published_at\":\"2026-06-02T10:00:00Z\"");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + post).then()
        .body("status", equalTo("published")).body("targets[0].status", equalTo("published"))
        .body("targets[0].text", equalTo("Sale ends Saturday")).body("targets[0].edited_at", equalTo("2026-06-02T10:00:00Z"))
        .body("text", equalTo("Sale ends Friday"))); // the post's own text is what was first published
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.target.edited\""), 1, Duration.ofSeconds(20));
    String edited = KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.edited\""), 1,
        Duration.ofSeconds(20)).get(0).value();
    assertTrue(edited.contains("\"edited_at\":\"2026-06-02T10:00:00Z\""), edited);
    as(key).get("/v1/posts/" + post + "/attempts").then().body("data.outcome", hasItems("published", "edited"));
    // Later posts are compared with the text the platform shows now, not the first one.
    as(key).body(Map.of("text", "Sale ends Saturday", "account_ids", List.of(account), "publish_now", true)).post("/v1/posts").then()
        .statusCode(409).body("code", equalTo("duplicate_content")).body("errors[0].post_id", equalTo(post));
    as(key).body(Map.of("text", "Sale ends Friday", "account_ids", List.of(account), "draft", true)).post("/v1/posts/validate").then()
        .statusCode(200).body("valid", equalTo(true));
    as(key).body(Map.of("text", "Sale ends Friday", "account_ids", List.of(account), "publish_now", true)).post("/v1/posts/validate").then()
        .statusCode(200).body("valid", equalTo(true));

    // A refused edit: still published with its earlier text, the error says why.
    as(key).body(Map.of("text", "Sale ends Sunday")).post("/v1/posts/" + post + "/edit").then().statusCode(202);
    String second = KafkaTopics.await(Topics.EDIT_REQUESTS, r -> r.value().contains("Sale ends Sunday"), 1, Duration.ofSeconds(20)).get(0).value();
    sendResult(post, second, "\"outcome\":\"edit_failed\",\"error\":{\"code\":\"permission_denied\",\"category\":\"permission\",\"message\":"
        + "\"the post on sandbox keeps its earlier text: not yours\",\"retryable\":false,\"provider_code\":\"not_permitted\","
        + "\"action\":\"Check the account's permissions, then edit the post again.\"},\"http_status\":403");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + post).then()
        .body("status", equalTo("published")).body("targets[0].text", equalTo("Sale ends Saturday"))
        .body("targets[0].error.code", equalTo("permission_denied")));
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> post.equals(r.key()) && r.value().contains("\"post.target.edit_failed\""), 1, Duration.ofSeconds(20));
  }

  @Test
  void anEditSaysWhatIsWrongBeforeAnythingIsSent() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String draft = as(key).body(Map.of("text", "draft", "account_ids", List.of(account), "draft", true)).post("/v1/posts").then().statusCode(201)
        .extract().path("id");
    as(key).body(Map.of("text", "x")).post("/v1/posts/" + draft + "/edit").then().statusCode(409).body("code", equalTo("invalid_state"))
        .body("detail", Matchers.containsString("PATCH"));
    String post = publishedPost(key, account, "Out there");
    as(key).body(Map.of()).post("/v1/posts/" + post + "/edit").then().statusCode(400).body("errors[0].field", equalTo("text"));
    as(key).body(Map.of("text", "y".repeat(5001))).post("/v1/posts/" + post + "/edit").then().statusCode(400)
        .body("errors[0].field", equalTo("text")).body("errors[0].message", startsWith("sandbox: "));
    as(key).body(Map.of("text", "ok", "target_ids", List.of())).post("/v1/posts/" + post + "/edit").then().statusCode(400)
        .body("errors[0].field", equalTo("target_ids"));
    as(key).body(Map.of("text", "ok", "target_ids", List.of("tgt_nope"))).post("/v1/posts/" + post + "/edit").then().statusCode(400)
        .body("errors[0].code", equalTo("not_found"));
    as(key).body(Map.of("text", "ok")).header("If-Match", "\"1\"").post("/v1/posts/" + post + "/edit").then().statusCode(412);
    String agent = as(key).body(Map.of("name", "agent", "requires_approval", true)).post("/v1/api-keys").then().statusCode(201)
        .extract().path("api_key");
    as(agent).body(Map.of("text", "unreviewed")).post("/v1/posts/" + post + "/edit").then().statusCode(403)
        .body("code", equalTo("approval_required"));
    as(key).get("/v1/posts/" + post).then().body("status", equalTo("published")).body("targets[0]", not(Matchers.hasKey("edited_at")));
  }

  /** A post published now to the account, its publish result sent as the sandbox publisher would. */
  private static String publishedPost(String key, String account, String text) {
    String post = as(key).body(Map.of("text", text, "account_ids", List.of(account), "publish_now", true)).post("/v1/posts").then().statusCode(201)
        .extract().path("id");
    String request = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(post), 1, Duration.ofSeconds(20)).get(0).value();
    sendResult(post, request, "\"outcome\":\"published\",\"platform_post_id\":\"sbx_" + post + "\",\"permalink\":\"http://sandbox/p/" + post
        + "\",\"published_at\":\"" + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"http_status\":201");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> as(key).get("/v1/posts/" + post).then().extract().<String>path("status"),
        equalTo("published"));
    return post;
  }

  private static void sendResult(String post, String request, String fields) {
    String requestId = request.replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1");
    String targetId = request.replaceAll(".*\"target_id\":\"([^\"]+)\".*", "$1");
    KafkaTopics.send(Topics.PUBLISH_RESULTS, post, "{\"request_id\":\"" + requestId + "\",\"post_id\":\"" + post + "\",\"target_id\":\"" + targetId
        + "\"," + fields + ",\"started_at\":\"2026-06-01T09:00:00Z\",\"duration_ms\":12}");
  }
}
