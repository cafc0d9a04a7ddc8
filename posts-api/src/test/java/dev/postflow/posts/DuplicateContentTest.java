package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The duplicate content guard: a post repeating the text and media of another post of the same account less than
 * 24 h from it is refused with 409 duplicate_content, naming the other post, unless it allows duplicates.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class DuplicateContentTest {
  @Inject Pool pool;
  private static final Instant BASE = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

  private static String at(long hours) {
    return BASE.plus(hours, ChronoUnit.HOURS).toString();
  }

  @Test
  void aRepeatOfAnAccountsPostWithinADayIsRefusedNamingThatPost() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String other = Api.sandboxAccount(key);
    String first = as(key).body(Map.of("text", "Our spring sale starts today", "account_ids", List.of(account), "scheduled_at", at(0)))
        .post("/v1/posts").then().statusCode(201).extract().path("id");

    // The same words (white space aside) two hours later: refused, the account's target named, the first post given.
    as(key).body(Map.of("text", "  Our spring   sale\nstarts today ", "account_ids", List.of(other, account), "scheduled_at", at(2)))
        .post("/v1/posts").then().statusCode(409).body("code", equalTo("duplicate_content")).body("errors", hasSize(1))
        .body("errors[0].field", equalTo("account_ids[1]")).body("errors[0].code", equalTo("duplicate_content"))
        .body("errors[0].post_id", equalTo(first)).body("errors[0].message", containsString(account))
        .body("errors[0].message", containsString("allow_duplicate"));
    // No-break spaces (as a CMS writes them) are white space too.
    as(key).body(Map.of("text", "Our\u00A0spring sale\u202Fstarts today\u00A0", "account_ids", List.of(account), "scheduled_at", at(1)))
        .post("/v1/posts").then().statusCode(409).body("errors[0].post_id", equalTo(first));
    // validate says so too, without storing anything
    as(key).body(Map.of("text", "Our spring sale starts today", "account_ids", List.of(account), "scheduled_at", at(-3)))
        .post("/v1/posts/validate").then().statusCode(200).body("valid", equalTo(false))
        .body("errors[0].code", equalTo("duplicate_content")).body("errors[0].post_id", equalTo(first));
    as(key).queryParam("account_id", account).get("/v1/posts").then().body("data", hasSize(1));

    // Not a repeat: another account, other words, a day or more apart, or allowed on purpose.
    as(key).body(Map.of("text", "Our spring sale starts today", "account_ids", List.of(other), "scheduled_at", at(1)))
        .post("/v1/posts").then().statusCode(201);
    as(key).body(Map.of("text", "Our spring sale starts tomorrow", "account_ids", List.of(account), "scheduled_at", at(1)))
        .post("/v1/posts").then().statusCode(201);
    as(key).body(Map.of("text", "Our spring sale starts today", "account_ids", List.of(account), "scheduled_at", at(24)))
        .post("/v1/posts").then().statusCode(201);
    as(key).body(Map.of("text", "Our spring sale starts today", "account_ids", List.of(account), "scheduled_at", at(3), "allow_duplicate", true))
        .post("/v1/posts").then().statusCode(201);
    // A target's own text is what it posts.
    as(key).body(Map.of("text", "Something else", "targets", List.of(Map.of("account_id", account, "text", "Our spring sale starts today")),
            "scheduled_at", at(-5)))
        .post("/v1/posts").then().statusCode(409).body("errors[0].field", equalTo("targets[0].account_id")).body("errors[0].post_id", equalTo(first));

    // Bulk: each post is checked against those stored before it, the same request's included.
    Map<String, Object> bulkPost = Map.of("text", "Bulk twin", "account_ids", List.of(account), "scheduled_at", at(40));
    as(key).body(Map.of("posts", List.of(bulkPost, bulkPost))).post("/v1/posts/bulk").then().statusCode(200)
        .body("data[0].status", equalTo(201)).body("data[1].status", equalTo(409))
        .body("data[1].problem.code", equalTo("duplicate_content")).body("created", equalTo(1));

    // A cancelled post no longer counts (the one allowed at +3 h does: it is 25 h away).
    as(key).delete("/v1/posts/" + first).then().statusCode(200);
    as(key).body(Map.of("text", "Our spring sale starts today", "account_ids", List.of(account), "scheduled_at", at(-22)))
        .post("/v1/posts").then().statusCode(201);
  }

  /** V27 gave the targets stored before the guard their keys in SQL: the same keys Java computes. */
  @Test
  void theMigrationsKeysAreTheKeysJavaComputes() {
    String[][] contents = {{"Our spring sale", "[]"}, {"  Our  spring\t\nsale ", "[]"}, {"Grüße 🚀 aus Köln", "[\"med_1\",\"med_2\"]"},
        {"", "[\"med_9\"]"}, {null, null}, {"vivid v", "[]"}, {"\u000B vertical tab \u000B", "[]"}, {"line\r\nbreaks\fand\u000Bmore", "[\"med_2\",\"med_1\"]"},
        {"\u00A0Our\u00A0spring\u202Fsale\u00A0", "[]"}, {"\u3000Our\u2003 spring\u2028sale\u0085", "[]"}, {"\u001FOur spring sale\u001C", "[]"},
        {"\u1680\u205F", "[]"}};
    for (String[] content : contents) {
      String inSql = pool.preparedQuery("select posts.content_key($1, $2)").execute(Tuple.of(content[0], content[1]))
          .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
      List<String> media = content[1] == null ? List.of() : io.vertx.core.json.Json.decodeValue(content[1], List.class);
      assertEquals(dev.postflow.posts.post.Duplicates.key(content[0], media), inSql, "content " + java.util.Arrays.toString(content));
    }
    // Any Unicode white space is white space (a CMS's no-break spaces too); control characters are not.
    String plain = dev.postflow.posts.post.Duplicates.key("Our spring sale", List.of());
    assertEquals(plain, dev.postflow.posts.post.Duplicates.key("\u00A0Our\u00A0spring\u202Fsale\u00A0", List.of()));
    assertEquals(plain, dev.postflow.posts.post.Duplicates.key("\u3000Our\u2003 spring\u2028sale\u0085", List.of()));
    assertNotEquals(plain, dev.postflow.posts.post.Duplicates.key("\u001FOur spring sale\u001C", List.of()));
    assertEquals(dev.postflow.posts.post.Duplicates.key("", List.of()), dev.postflow.posts.post.Duplicates.key("\u1680\u205F", List.of()));
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String post = as(key).body(Map.of("text", " Stored\n  by Java ", "account_ids", List.of(account), "scheduled_at", at(0)))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    var row = pool.preparedQuery("select t.content_key, posts.content_key(coalesce(t.text, p.text), coalesce(t.media_ids, p.media_ids))"
            + " from posts.post_target t join posts.post p on p.id = t.post_id where p.id = $1").execute(Tuple.of(post))
        .await().atMost(Duration.ofSeconds(10)).iterator().next();
    assertEquals(row.getString(0), row.getString(1));
  }

  @Test
  void draftsAreCheckedWhenTheyAreGivenATimeAndEditsWhenTheyChangeTextOrTime() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    as(key).body(Map.of("text", "Launch day", "account_ids", List.of(account), "scheduled_at", at(0)))
        .post("/v1/posts").then().statusCode(201);
    // A draft is not going out: stored.
    String draft = as(key).body(Map.of("text", "Launch day", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("draft")).extract().path("id");
    as(key).body(Map.of("scheduled_at", at(5))).patch("/v1/posts/" + draft).then().statusCode(409)
        .body("errors[0].field", equalTo("scheduled_at")).body("errors[0].code", equalTo("duplicate_content"));
    as(key).get("/v1/posts/" + draft).then().body("status", equalTo("draft")).body("version", equalTo(1)); // nothing changed
    as(key).body(Map.of("scheduled_at", at(30))).patch("/v1/posts/" + draft).then().statusCode(200).body("status", equalTo("scheduled"));
    // Moving it near the first again, or giving another post its text, is a repeat; allowed when the edit says so.
    as(key).body(Map.of("scheduled_at", at(6))).patch("/v1/posts/" + draft).then().statusCode(409);
    String other = as(key).body(Map.of("text", "Launch week", "account_ids", List.of(account), "scheduled_at", at(8)))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("text", "Launch  day")).patch("/v1/posts/" + other).then().statusCode(409)
        .body("errors[0].field", equalTo("text"));
    as(key).body(Map.of("text", "Launch  day", "allow_duplicate", true)).patch("/v1/posts/" + other).then().statusCode(200)
        .body("text", equalTo("Launch  day"));
    as(key).body(Map.of("allow_duplicate", "yes")).patch("/v1/posts/" + other).then().statusCode(400)
        .body("errors[0].field", equalTo("allow_duplicate"));
    // The edited text is what later posts are compared with.
    as(key).body(Map.of("text", "Launch week", "account_ids", List.of(account), "scheduled_at", at(9)))
        .post("/v1/posts").then().statusCode(201);
  }

  @Test
  void aPostPublishedNowIsComparedWithWhatWentOutAndAQueuedOneAtItsSlot() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String published = as(key).body(Map.of("text", "Breaking news", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("text", "Breaking news", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(409).body("errors[0].post_id", equalTo(published));
    // with an Idempotency-Key the refusal is the key's stored answer
    as(key).header("Idempotency-Key", "dup-1").body(Map.of("text", "Breaking news", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(409);
    as(key).header("Idempotency-Key", "dup-1").body(Map.of("text", "Breaking news", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(409).body("code", equalTo("duplicate_content"));

    // A queued post is compared once its slot is chosen: the queue's next slot is within a day of now.
    String queue = as(key).body(Map.of("name", "Hourly", "time_zone", "UTC", "capacity", 1, "slots", List.of(Map.of(
            "days", List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "times", List.of("00:00", "06:00", "12:00", "18:00")))))
        .post("/v1/queues").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("text", "Breaking news", "account_ids", List.of(account), "queue_id", queue))
        .post("/v1/posts").then().statusCode(409).body("errors[0].field", equalTo("queue_id")).body("errors[0].post_id", equalTo(published));
    as(key).queryParam("limit", 1).get("/v1/queues/" + queue + "/slots").then().body("data[0].taken", equalTo(0)); // its slot stays free
    as(key).body(Map.of("text", "Breaking news, the follow-up", "account_ids", List.of(account), "queue_id", queue))
        .post("/v1/posts").then().statusCode(201);

    // A draft published now is compared with what is out now; allow_duplicate publishes it all the same.
    String draft = as(key).body(Map.of("text", "Breaking  news", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("draft")).extract().path("id");
    as(key).post("/v1/posts/" + draft + "/publish").then().statusCode(409).body("code", equalTo("duplicate_content"))
        .body("errors[0].field", equalTo("post_id")).body("errors[0].post_id", equalTo(published));
    as(key).get("/v1/posts/" + draft).then().body("status", equalTo("draft"));
    as(key).queryParam("allow_duplicate", "maybe").post("/v1/posts/" + draft + "/publish").then().statusCode(400)
        .body("errors[0].field", equalTo("allow_duplicate"));
    as(key).queryParam("allow_duplicate", "true").post("/v1/posts/" + draft + "/publish").then().statusCode(202)
        .body("status", equalTo("publishing"));
  }
}
