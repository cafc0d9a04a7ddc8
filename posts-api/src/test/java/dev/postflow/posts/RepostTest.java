package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Topics;
import dev.postflow.posts.post.Reposts;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Reposts: a post with "repost" is followed, once published, by a scheduled repeat every_days later (in its time
 * zone), which carries the remaining repeats; a post that is not published makes none.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class RepostTest {
  @Inject Reposts reposts;

  @Test
  void aPublishedPostIsRepeatedEveryDaysInItsTimeZoneUntilItsTimesAreUsed() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String first = as(key).body(Map.of("text", "Evergreen tip", "account_ids", List.of(account), "publish_now", true, "time_zone", "Europe/Berlin",
            "external_id", "cms-42", "repost", Map.of("times", 2, "every_days", 7, "texts", List.of("Evergreen tip, again", "Evergreen tip, once more"))))
        .post("/v1/posts").then().statusCode(201).body("repost.times", equalTo(2)).body("repost.every_days", equalTo(7))
        .body("repost.texts", equalTo(List.of("Evergreen tip, again", "Evergreen tip, once more"))).extract().path("id");
    // Published at 09:00 in Berlin on the Wednesday before the clocks change (CET -> CEST on 2027-03-28).
    publish(key, first, "2027-03-24T08:00:00Z");

    String second = awaitRepeat(key, first);
    as(key).get("/v1/posts/" + second).then().statusCode(200).body("status", equalTo("scheduled"))
        .body("scheduled_at", equalTo("2027-03-31T07:00:00Z")) // 09:00 in Berlin again, a week later
        .body("time_zone", equalTo("Europe/Berlin")).body("text", equalTo("Evergreen tip, again")).body("external_id", equalTo("cms-42"))
        .body("targets[0].account_id", equalTo(account)).body("targets[0].status", equalTo("scheduled"))
        .body("repost.times", equalTo(1)).body("repost.every_days", equalTo(7)).body("repost_of", equalTo(first))
        .body("repost.texts", equalTo(List.of("Evergreen tip, once more", "Evergreen tip, again"))); // the next repeat's first
    KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> second.equals(r.key()), 1, Duration.ofSeconds(20));
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> second.equals(r.key()) && r.value().contains("\"post.scheduled\"")
        && r.value().contains("\"repost_of\":\"" + first + "\""), 1, Duration.ofSeconds(20));
    as(key).queryParam("external_id", "cms-42").get("/v1/posts").then().body("data.id", hasItems(first, second));

    // The repeat is an ordinary post: published early (now), its own repeat follows from then, the last of the chain.
    as(key).post("/v1/posts/" + second + "/publish").then().statusCode(202);
    java.time.Instant publishedAt = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    publish(key, second, publishedAt.toString());
    String third = awaitRepeat(key, second);
    JsonPath last = as(key).get("/v1/posts/" + third).then().statusCode(200).body("status", equalTo("scheduled"))
        .body("repost_of", equalTo(first)).body("text", equalTo("Evergreen tip, once more")).body("$", not(Matchers.hasKey("repost")))
        .extract().jsonPath();
    assertEquals(publishedAt.atZone(java.time.ZoneId.of("Europe/Berlin")).plusDays(7).toInstant().toString(), last.getString("scheduled_at"));

    // The chain's repeats, in time order (the second kept its time of 2027-03-31 when it was published early).
    as(key).queryParam("repost_of", first).get("/v1/posts").then().statusCode(200).body("data.id", equalTo(List.of(third, second)));
    as(key).post("/v1/posts/" + third + "/publish").then().statusCode(202);
    publish(key, third, java.time.Instant.now().toString());
    makeRepeatsNow();
    as(key).get("/v1/posts/" + third).then().body("status", equalTo("published")).body("$", not(Matchers.hasKey("reposted_as")));
  }

  @Test
  void aPostThatFailedOrWasCancelledIsNotRepeatedAndARepeatCanBeEditedAway() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    Map<String, Object> repost = Map.of("times", 3, "every_days", 2);
    String failed = as(key).body(Map.of("text", "Will fail", "account_ids", List.of(account), "publish_now", true, "repost", repost))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    String request = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(failed), 1, Duration.ofSeconds(20)).get(0).value();
    KafkaTopics.send(Topics.PUBLISH_RESULTS, failed, "{\"request_id\":\"" + field(request, "request_id") + "\",\"post_id\":\"" + failed
        + "\",\"target_id\":\"" + field(request, "target_id") + "\",\"outcome\":\"failed\",\"error\":{\"code\":\"content_rejected\","
        + "\"category\":\"content\",\"retryable\":false,\"action\":\"edit_content\",\"message\":\"no\"},"
        + "\"started_at\":\"2026-06-01T09:00:00Z\",\"duration_ms\":12,\"http_status\":400}");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + failed).then().body("status", equalTo("failed")));

    String cancelled = as(key).body(Map.of("text", "Cancelled", "account_ids", List.of(account), "scheduled_at",
        java.time.Instant.now().plusSeconds(3600).toString(), "repost", repost)).post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/posts/" + cancelled).then().statusCode(200);
    makeRepeatsNow();
    as(key).get("/v1/posts/" + failed).then().body("$", not(Matchers.hasKey("reposted_as")));
    as(key).get("/v1/posts/" + cancelled).then().body("$", not(Matchers.hasKey("reposted_as")))
        .body("repost.times", equalTo(3)).body("repost.every_days", equalTo(2)); // stored by the batched insert too

    // Set, changed and removed by PATCH while the post may be edited.
    String draft = as(key).body(Map.of("text", "Draft", "account_ids", List.of(account), "draft", true)).post("/v1/posts").then().statusCode(201)
        .body("$", not(Matchers.hasKey("repost"))).extract().path("id");
    as(key).body(Map.of("repost", Map.of("times", 10, "every_days", 365))).patch("/v1/posts/" + draft).then().statusCode(200)
        .body("repost.times", equalTo(10)).body("repost.every_days", equalTo(365));
    Map<String, Object> none = new HashMap<>();
    none.put("repost", null);
    as(key).body(none).patch("/v1/posts/" + draft).then().statusCode(200).body("$", not(Matchers.hasKey("repost")));
  }

  @Test
  void everyBadRepostFieldIsNamed() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    as(key).body(Map.of("text", "x", "account_ids", List.of(account), "publish_now", true, "repost", Map.of("times", 0, "every_days", 366)))
        .post("/v1/posts").then().statusCode(400).body("errors.field", hasItems("repost.times", "repost.every_days"))
        .body("errors.code", hasItems("out_of_range"));
    as(key).body(Map.of("text", "x", "account_ids", List.of(account), "publish_now", true, "repost", Map.of()))
        .post("/v1/posts").then().statusCode(400).body("errors.field", hasItems("repost.times", "repost.every_days"))
        .body("errors.code", hasItems("required"));
    as(key).body(Map.of("text", "x", "account_ids", List.of(account), "publish_now", true, "repost", Map.of("times", 11, "every_days", 1)))
        .post("/v1/posts/validate").then().statusCode(200).body("valid", equalTo(false)).body("errors[0].field", equalTo("repost.times"));
    String draft = as(key).body(Map.of("text", "Draft", "account_ids", List.of(account), "draft", true)).post("/v1/posts").then().statusCode(201)
        .extract().path("id");
    as(key).body(Map.of("repost", "weekly")).patch("/v1/posts/" + draft).then().statusCode(400).body("errors[0].field", equalTo("repost"))
        .body("errors[0].code", equalTo("invalid_type"));
    as(key).body(Map.of("repost", Map.of("times", "two", "every_days", 0, "when", "x"))).patch("/v1/posts/" + draft).then().statusCode(400)
        .body("errors.field", hasItems("repost.times", "repost.when")).body("errors.code", hasItems("invalid_type", "unknown_field"));
    as(key).body(Map.of("repost", Map.of("times", 2, "every_days", 0))).patch("/v1/posts/" + draft).then().statusCode(400)
        .body("errors[0].field", equalTo("repost.every_days")).body("errors[0].code", equalTo("out_of_range"));

    // texts: 1 to 10, none blank, each held to every target's platform as the post's text is.
    as(key).body(Map.of("text", "x", "account_ids", List.of(account), "publish_now", true, "repost", Map.of("times", 1, "every_days", 1,
        "texts", List.of()))).post("/v1/posts").then().statusCode(400).body("errors[0].field", equalTo("repost.texts"));
    as(key).body(Map.of("repost", Map.of("times", 1, "every_days", 1, "texts", java.util.Arrays.asList(" ", null, 3))))
        .patch("/v1/posts/" + draft).then().statusCode(400).body("errors.field", hasItems("repost.texts[2]"));
    as(key).body(Map.of("repost", Map.of("times", 1, "every_days", 1, "texts", java.util.Arrays.asList(" ", null))))
        .patch("/v1/posts/" + draft).then().statusCode(400).body("errors.field", hasItems("repost.texts[0]", "repost.texts[1]"));
    String tooLong = "y".repeat(5001);
    as(key).body(Map.of("text", "x", "account_ids", List.of(account), "publish_now", true, "repost", Map.of("times", 2, "every_days", 1,
        "texts", List.of("fine", tooLong)))).post("/v1/posts").then().statusCode(400).body("errors[0].field", equalTo("repost.texts[1]"))
        .body("errors[0].message", Matchers.startsWith("sandbox: "));
    String scheduled = as(key).body(Map.of("text", "x", "account_ids", List.of(account), "scheduled_at",
        java.time.Instant.now().plusSeconds(3600).toString())).post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("repost", Map.of("times", 1, "every_days", 1, "texts", List.of(tooLong)))).patch("/v1/posts/" + scheduled).then()
        .statusCode(400).body("errors[0].field", equalTo("repost.texts[0]"));
    // A draft keeps text problems as warnings, to be fixed before it goes out.
    String draftWithTexts = as(key).body(Map.of("text", "x", "account_ids", List.of(account), "draft", true, "repost", Map.of("times", 1,
        "every_days", 1, "texts", List.of(tooLong)))).post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).get("/v1/posts/" + draftWithTexts).then().body("repost.texts", equalTo(List.of(tooLong)));
    as(key).body(Map.of("scheduled_at", java.time.Instant.now().plusSeconds(3600).toString())).patch("/v1/posts/" + draftWithTexts).then()
        .statusCode(400).body("errors[0].field", equalTo("repost.texts[0]")); // not while it would go out
  }

  /** Sends the sandbox's "published" result for the post's one target, and waits until the post is published. */
  private static void publish(String key, String postId, String publishedAt) {
    String request = KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains(postId), 1, Duration.ofSeconds(20)).get(0).value();
    KafkaTopics.send(Topics.PUBLISH_RESULTS, postId, "{\"request_id\":\"" + field(request, "request_id") + "\",\"post_id\":\"" + postId
        + "\",\"target_id\":\"" + field(request, "target_id") + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_" + postId
        + "\",\"permalink\":\"http://sandbox/p/" + postId + "\",\"published_at\":\"" + publishedAt + "\",\"started_at\":\"" + publishedAt
        + "\",\"duration_ms\":12,\"http_status\":201}");
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(key).get("/v1/posts/" + postId).then().body("status", equalTo("published")));
  }

  private static String awaitRepeat(String key, String postId) {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> as(key).get("/v1/posts/" + postId).then().statusCode(200)
        .extract().<String>path("reposted_as"), notNullValue());
  }

  /** One round of the reposts' sweep, beside the background one: whatever it would repeat is repeated when this returns. */
  private void makeRepeatsNow() {
    try {
      reposts.makeRepeats();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String field(String json, String name) {
    String value = json.replaceAll(".*\"" + name + "\":\"([^\"]+)\".*", "$1");
    assertTrue(!value.equals(json), name + " in " + json);
    return value;
  }
}
