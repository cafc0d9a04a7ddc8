package dev.postflow.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every sandbox behaviour of contract section 7 through the whole pipeline: each ends in the right status, and
 * the sandbox's own record shows the post exactly once (or never, for a failure).
 */
class SandboxOutcomesIT {
  private static RunningServices services;

  @BeforeAll
  static void start() {
    services = RunningServices.shared();
  }

  private static RequestSpecification as(String key) {
    return given().baseUri(services.apiUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  @Test
  void everyOutcomeEndsRightAndNothingIsPublishedTwice() {
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Outcomes")).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-o", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("published", "published");
    expected.put("rate_limited_then_published", "published");
    expected.put("server_error_then_published", "published");
    expected.put("timeout_after_publish", "published");
    expected.put("failed:media_invalid", "failed");
    expected.put("failed:token_expired", "failed");
    Map<String, String> posts = new LinkedHashMap<>();
    for (String outcome : expected.keySet()) {
      String postId = as(key)
          .body(Map.of("text", "outcome " + outcome, "account_ids", List.of(account), "publish_now", true,
              "platform_options", Map.of("sandbox", Map.of("outcome", outcome))))
          .post("/v1/posts").then().statusCode(201).body("status", equalTo("publishing")).extract().path("id");
      posts.put(outcome, postId);
    }

    posts.forEach((outcome, postId) -> Awaitility.await(outcome).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> as(key).get("/v1/posts/" + postId).then().body("status", equalTo(expected.get(outcome)))));

    posts.forEach((outcome, postId) -> {
      JsonPath post = as(key).get("/v1/posts/" + postId).then().extract().jsonPath();
      String targetId = post.getString("targets[0].id");
      JsonPath record = as(key).queryParam("target_id", targetId).get("/v1/sandbox/posts").jsonPath();
      int received = record.getList("data").size();
      assertEquals(expected.get(outcome).equals("published") ? 1 : 0, received, outcome + ": posts the sandbox received");
      if (received == 1) assertEquals(0, record.getInt("data[0].repeats"), outcome + ": no create was repeated (reconciled by lookup)");
      if (outcome.startsWith("failed:")) {
        String code = outcome.substring("failed:".length());
        assertEquals(code, post.getString("targets[0].error.code"));
        assertEquals(code.startsWith("token") ? "auth" : "content", post.getString("targets[0].error.category"));
        assertEquals(false, post.getBoolean("targets[0].error.retryable"));
      } else {
        assertEquals(true, post.getString("targets[0].platform_post_id").startsWith("sbx_"), outcome);
      }
      as(key).get("/v1/posts/" + postId + "/attempts").then().statusCode(200)
          .body("data.size()", equalTo(1)).body("data[0].outcome", oneOf("published", "failed"));
    });
  }

  @Test
  void publishWithPreferWaitAnswersWithTheFinalState() {
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Wait")).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-w", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    String draft = as(key).body(Map.of("text", "wait for me", "account_ids", List.of(account))).post("/v1/posts").then()
        .statusCode(201).extract().path("id");
    as(key).header("Prefer", "wait=30").post("/v1/posts/" + draft + "/publish").then().statusCode(200)
        .body("status", equalTo("published")).body("targets[0].platform_post_id", org.hamcrest.Matchers.startsWith("sbx_"));
  }
}
