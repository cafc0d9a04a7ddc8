package dev.postflow.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/posts/{id}/unpublish through the whole pipeline, against the sandbox's own record: a published post is
 * taken down once from every platform it is on, a take-down the platform refuses leaves the target published and says
 * why, a temporary failure is tried again, and what cannot be unpublished is refused before anything is done. An edit
 * of a published post (POST /edit) goes the same way, through the sandbox's PUT.
 */
class UnpublishIT {
  private static RunningServices services;

  @BeforeAll
  static void start() {
    services = RunningServices.shared();
  }

  private static RequestSpecification as(String key) {
    return given().baseUri(services.apiUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  private static String workspace(String name) {
    return as(RunningServices.ADMIN_KEY).body(Map.of("name", name)).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
  }

  private static String sandboxAccount(String key, String externalId) {
    return as(key).body(Map.of("platform", "sandbox", "external_id", externalId, "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
  }

  private static JsonPath awaitStatus(String key, String postId, String status) {
    Awaitility.await(postId + " " + status).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> as(key).get("/v1/posts/" + postId).then().body("status", equalTo(status)));
    return as(key).get("/v1/posts/" + postId).then().extract().jsonPath();
  }

  private static JsonPath sandboxRecord(String key, String targetId) {
    return as(key).queryParam("target_id", targetId).get("/v1/sandbox/posts").then().statusCode(200).extract().jsonPath();
  }

  @Test
  void aPublishedPostIsTakenDownFromEveryPlatformOnce() {
    String key = workspace("Unpublish");
    String first = sandboxAccount(key, "sbx-u1");
    String second = sandboxAccount(key, "sbx-u2");
    String postId = as(key).body(Map.of("text", "a typo we regret", "account_ids", List.of(first, second), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    JsonPath published = awaitStatus(key, postId, "published");
    List<String> targets = published.getList("targets.id");
    List<String> postIds = published.getList("targets.platform_post_id");
    Instant asked = Instant.now();

    as(key).post("/v1/posts/" + postId + "/unpublish").then().statusCode(202)
        .body("status", equalTo("unpublishing")).body("targets.status", hasItems("unpublishing"));
    JsonPath gone = awaitStatus(key, postId, "unpublished");
    for (int i = 0; i < 2; i++) {
      assertEquals("unpublished", gone.getString("targets[" + i + "].status"));
      assertEquals(postIds.get(i), gone.getString("targets[" + i + "].platform_post_id"), "the target still names what was taken down");
      assertNotNull(gone.getString("targets[" + i + "].unpublished_at"));
      assertNull(gone.get("targets[" + i + "].error"));
      JsonPath record = sandboxRecord(key, targets.get(i));
      assertEquals(1, record.getList("data").size(), "published once");
      Instant deleted = Instant.parse(record.getString("data[0].deleted_at"));
      assertEquals(true, !deleted.isBefore(asked.minusSeconds(1)), "taken down after the unpublish was asked for: " + deleted);
      as(key).get("/v1/posts/" + postId + "/attempts").then().statusCode(200)
          .body("data.findAll { it.target_id == '" + targets.get(i) + "' }.outcome", equalTo(List.of("published", "unpublished")));
    }

    // nothing is left to take down, and an unpublished post is not published or edited again
    as(key).post("/v1/posts/" + postId + "/unpublish").then().statusCode(409).body("code", equalTo("invalid_state"));
    as(key).body(Map.of()).post("/v1/posts/" + postId + "/retry").then().statusCode(409);
    as(key).body(Map.of("text", "fixed")).patch("/v1/posts/" + postId).then().statusCode(409);
    as(key).queryParam("status", "unpublished").get("/v1/posts").then().statusCode(200).body("data.id", equalTo(List.of(postId)));
  }

  @Test
  void aRefusedTakeDownLeavesTheTargetPublishedAndSaysWhyATemporaryOneIsTriedAgain() {
    String key = workspace("Unpublish refused");
    String refusing = sandboxAccount(key, "sbx-r1");
    String flaky = sandboxAccount(key, "sbx-r2");
    String postId = as(key).body(Map.of("text", "stays on one", "publish_now", true, "targets", List.of(
            Map.of("account_id", refusing, "platform_options", Map.of("sandbox", Map.of("unpublish_outcome", "failed:not_permitted"))),
            Map.of("account_id", flaky, "platform_options", Map.of("sandbox", Map.of("unpublish_outcome", "server_error_then_removed"))))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    JsonPath published = awaitStatus(key, postId, "published");
    String refusedTarget = published.getString("targets[0].id");
    String flakyTarget = published.getString("targets[1].id");

    // Prefer: wait answers once every chosen target has its answer (a 503 tried again included)
    JsonPath after = as(key).header("Prefer", "wait=30").post("/v1/posts/" + postId + "/unpublish").then().statusCode(200)
        .header("Preference-Applied", "wait=30").body("status", equalTo("partial")).extract().jsonPath();
    assertEquals("published", after.getString("targets[0].status"), "still on its platform");
    assertEquals("not_permitted", after.getString("targets[0].error.code"));
    assertEquals(true, after.getString("targets[0].error.message").startsWith("the post is still on sandbox"), after.getString("targets[0].error.message"));
    assertNull(after.get("targets[0].unpublished_at"));
    assertNull(sandboxRecord(key, refusedTarget).get("data[0].deleted_at"));
    assertEquals("unpublished", after.getString("targets[1].status"), "a 503 is tried again");
    assertNotNull(sandboxRecord(key, flakyTarget).get("data[0].deleted_at"));
    as(key).get("/v1/posts/" + postId + "/attempts").then()
        .body("data.findAll { it.target_id == '" + refusedTarget + "' }.outcome", equalTo(List.of("published", "unpublish_failed")));

    // only the target that is still out can be named now
    as(key).body(Map.of("target_ids", List.of(flakyTarget, "tgt_nope"))).post("/v1/posts/" + postId + "/unpublish").then()
        .statusCode(400).body("code", equalTo("validation_failed")).body("errors.field", equalTo(List.of("target_ids[0]", "target_ids[1]")))
        .body("errors.code", equalTo(List.of("not_published", "not_found")));
  }

  /** An edit through the real publisher and the sandbox's PUT: taken, refused (earlier text kept), a 503 tried again. */
  @Test
  void aPublishedPostIsEditedOnTheSandboxThroughThePublisher() {
    String key = workspace("Edit");
    String plain = sandboxAccount(key, "sbx-ed1");
    String refusing = sandboxAccount(key, "sbx-ed2");
    String flaky = sandboxAccount(key, "sbx-ed3");
    String postId = as(key).body(Map.of("text", "Doors open at 9", "publish_now", true, "targets", List.of(
            Map.of("account_id", plain),
            Map.of("account_id", refusing, "platform_options", Map.of("sandbox", Map.of("edit_outcome", "failed:not_permitted"))),
            Map.of("account_id", flaky, "platform_options", Map.of("sandbox", Map.of("edit_outcome", "server_error_then_edited"))))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    JsonPath published = awaitStatus(key, postId, "published");

    JsonPath after = as(key).header("Prefer", "wait=30").body(Map.of("text", "Doors open at 10")).post("/v1/posts/" + postId + "/edit").then()
        .statusCode(200).body("status", equalTo("published")).extract().jsonPath();
    assertEquals("Doors open at 10", after.getString("targets[0].text"));
    assertNotNull(after.get("targets[0].edited_at"));
    assertEquals("Doors open at 10", sandboxRecord(key, published.getString("targets[0].id")).getString("data[0].text"));
    assertEquals(1, sandboxRecord(key, published.getString("targets[0].id")).getInt("data[0].edits"));
    assertNull(after.get("targets[1].text"), "refused: the earlier text stays");
    assertEquals("not_permitted", after.getString("targets[1].error.code"));
    assertEquals("Doors open at 9", sandboxRecord(key, published.getString("targets[1].id")).getString("data[0].text"));
    assertEquals("Doors open at 10", after.getString("targets[2].text"), "a 503 is tried again");
    assertEquals("Doors open at 10", sandboxRecord(key, published.getString("targets[2].id")).getString("data[0].text"));
  }

  @Test
  void whatCannotBeUnpublishedIsRefusedBeforeAnythingIsDone() {
    String key = workspace("Unpublish early");
    String account = sandboxAccount(key, "sbx-e1");
    String draft = as(key).body(Map.of("text", "not out yet", "account_ids", List.of(account))).post("/v1/posts").then()
        .statusCode(201).extract().path("id");
    as(key).post("/v1/posts/" + draft + "/unpublish").then().statusCode(409).body("code", equalTo("invalid_state"))
        .body("detail", startsWith("nothing of this post is on a platform"));
    as(key).body("{\"target_ids\": \"all\"}").post("/v1/posts/" + draft + "/unpublish").then().statusCode(400)
        .body("code", notNullValue());
    as(key).body(Map.of("target_ids", List.of())).post("/v1/posts/" + draft + "/unpublish").then().statusCode(400)
        .body("errors[0].field", equalTo("target_ids"));
  }
}
