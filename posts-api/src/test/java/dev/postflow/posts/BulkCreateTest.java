package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/posts/bulk: many posts in one request, each answered as its own POST /v1/posts would be: one bad post fails
 * alone with its problem, and a post's idempotency_key makes a repeated bulk (a client that lost the answer) create
 * nothing twice.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class BulkCreateTest {

  private static Map<String, Object> post(String account, String text, String externalId, String key) {
    Map<String, Object> post = new HashMap<>(Map.of("text", text, "account_ids", List.of(account),
        "scheduled_at", Instant.now().plusSeconds(86_400).toString(), "external_id", externalId));
    if (key != null) post.put("idempotency_key", key);
    return post;
  }

  @Test
  void eachPostIsCreatedOrRefusedOnItsOwn() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    Map<String, Object> unknownField = new HashMap<>(post(account, "fine text", "bulk-3", null));
    unknownField.put("colour", "red");
    JsonPath answer = as(key).body(Map.of("posts", List.of(post(account, "Monday", "bulk-1", null),
            post(account, "x".repeat(5001), "bulk-2", null), unknownField, "not a post", post(account, "Tuesday", "bulk-5", null))))
        .post("/v1/posts/bulk").then().statusCode(200)
        .body("created", equalTo(2)).body("failed", equalTo(3))
        .body("data.index", equalTo(List.of(0, 1, 2, 3, 4)))
        .body("data.status", equalTo(List.of(201, 400, 400, 400, 201)))
        .body("data[0].post.status", equalTo("scheduled")).body("data[0].problem", nullValue())
        .body("data[1].problem.code", equalTo("validation_failed"))
        .body("data[1].problem.errors[0].field", equalTo("text")).body("data[1].problem.errors[0].code", equalTo("text_too_long"))
        .body("data[1].post", nullValue())
        .body("data[2].problem.errors[0].field", equalTo("colour")).body("data[2].problem.errors[0].code", equalTo("unknown_field"))
        .body("data[3].problem.code", equalTo("malformed_json"))
        .body("data[4].post.text", equalTo("Tuesday"))
        .extract().jsonPath();
    as(key).get("/v1/posts/" + answer.getString("data[0].post.id")).then().statusCode(200).body("external_id", equalTo("bulk-1"));
    as(key).queryParam("external_id", "bulk-2").get("/v1/posts").then().body("data.size()", equalTo(0));
  }

  @Test
  void aRepeatedBulkCreatesNothingTwice() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    List<Map<String, Object>> posts = List.of(post(account, "one", "rep-1", "calendar-1"), post(account, "two", "rep-2", "calendar-2"));
    JsonPath first = as(key).body(Map.of("posts", posts)).post("/v1/posts/bulk").then().statusCode(200)
        .body("created", equalTo(2)).body("data[0].replayed", nullValue()).extract().jsonPath();
    // the client lost the answer and sends the same bulk again, with a third post added
    List<Map<String, Object>> again = new ArrayList<>(posts);
    again.add(post(account, "three", "rep-3", "calendar-3"));
    JsonPath second = as(key).body(Map.of("posts", again)).post("/v1/posts/bulk").then().statusCode(200)
        .body("created", equalTo(3)).body("data.replayed", equalTo(java.util.Arrays.asList(true, true, null))).extract().jsonPath();
    assertEquals(first.getString("data[0].post.id"), second.getString("data[0].post.id"));
    assertEquals(first.getString("data[1].post.id"), second.getString("data[1].post.id"));
    for (String externalId : List.of("rep-1", "rep-2", "rep-3")) {
      as(key).queryParam("external_id", externalId).get("/v1/posts").then().body("data.size()", equalTo(1));
    }
    // a key already used for another post is refused for that post only
    as(key).body(Map.of("posts", List.of(post(account, "something else", "rep-4", "calendar-1"), post(account, "four", "rep-5", "calendar-5"))))
        .post("/v1/posts/bulk").then().statusCode(200)
        .body("data.status", equalTo(List.of(422, 201))).body("data[0].problem.code", equalTo("idempotency_key_reused"));
  }

  @Test
  void theBulkItselfIsChecked() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    List<Map<String, Object>> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) tooMany.add(post(account, "p" + i, "many-" + i, null));
    as(key).body(Map.of("posts", tooMany)).post("/v1/posts/bulk").then().statusCode(400)
        .body("errors[0].field", equalTo("posts")).body("errors[0].message", startsWith("posts must be a list of 1 to 100"));
    as(key).body(Map.of("posts", List.of())).post("/v1/posts/bulk").then().statusCode(400).body("errors[0].field", equalTo("posts"));
    as(key).body(Map.of("posts", List.of(post(account, "p", "h", null)), "dry_run", true)).post("/v1/posts/bulk").then().statusCode(400)
        .body("errors[0].code", equalTo("unknown_field"));
    as(key).header("Idempotency-Key", "whole").body(Map.of("posts", List.of(post(account, "p", "h", null)))).post("/v1/posts/bulk")
        .then().statusCode(400).body("errors[0].code", equalTo("per_post_key"));
    as(key).queryParam("external_id", "h").get("/v1/posts").then().body("data.size()", equalTo(0));
  }
}
