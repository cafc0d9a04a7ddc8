package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The general rules of the public contract (section 1) that the foundation already keeps. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class ApiContractTest {

  @Test
  void onlyTheAdminKeyCreatesWorkspacesAndTheKeyIsShownOnce() {
    as("wrong").body(Map.of("name", "x")).post("/v1/workspaces").then().statusCode(401)
        .contentType("application/problem+json").body("code", equalTo("unauthorized"));
    given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/v1/workspaces").then().statusCode(401);
    String key = Api.newWorkspace();
    as(key).body(Map.of("name", "x")).post("/v1/workspaces").then().statusCode(403).body("code", equalTo("admin_key_required"));
    as(Api.ADMIN).body(Map.of("name", "")).post("/v1/workspaces").then().statusCode(400)
        .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("name"));
  }

  @Test
  void aRevokedKeyStopsWorking() {
    String key = Api.newWorkspace();
    io.restassured.response.ExtractableResponse<?> created = as(key).body(Map.of("name", "ci")).post("/v1/api-keys").then()
        .statusCode(201).body("api_key", startsWith("pf_")).extract();
    String second = created.path("api_key");
    as(second).get("/v1/accounts").then().statusCode(200);
    as(key).delete("/v1/api-keys/" + created.path("id")).then().statusCode(200)
        .body("revoked_at", not(nullValue())).body("api_key", nullValue());
    as(second).get("/v1/accounts").then().statusCode(401);
    as(key).get("/v1/accounts").then().statusCode(200);
  }

  @Test
  void anotherWorkspacesObjectsAnswer404() {
    String mine = Api.newWorkspace();
    String theirs = Api.newWorkspace();
    String account = Api.sandboxAccount(theirs);
    String post = as(theirs).body(Map.of("text", "hi", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("draft")).extract().path("id");
    as(mine).get("/v1/posts/" + post).then().statusCode(404).body("code", equalTo("not_found"));
    as(mine).delete("/v1/posts/" + post).then().statusCode(404);
    as(mine).get("/v1/accounts/" + account).then().statusCode(404);
    // ... and cannot be used as a target.
    as(mine).body(Map.of("text", "hi", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(400)
        .body("errors[0].code", equalTo("account_not_found"));
  }

  @Test
  void tokensAreNeverReturned() {
    String key = Api.newWorkspace();
    String body = as(key).body(Map.of("platform", "sandbox", "external_id", "u1", "access_token", "super-secret-token"))
        .post("/v1/accounts").then().statusCode(201).body("status", equalTo("active")).body("health.status", equalTo("ok"))
        .extract().asString();
    org.junit.jupiter.api.Assertions.assertFalse(body.contains("super-secret-token"));
    as(key).get("/v1/accounts").then().statusCode(200).body(not(containsString("super-secret-token")));
  }

  @Test
  void everyValidationProblemIsReportedAtOnceWithItsField() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    as(key).body(Map.of(
            "text", "x".repeat(5001),
            "account_ids", List.of(account, account, "acc_missing"),
            "scheduled_at", "2026-06-01T09:00:00",
            "time_zone", "Mars/Olympus"))
        .post("/v1/posts").then().statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("validation_failed"))
        .body("errors.field", hasItems("scheduled_at", "time_zone", "account_ids[1]", "account_ids[2]", "text"))
        .body("errors.code", hasItems("naive_time", "invalid_time_zone", "duplicate_account", "account_not_found", "text_too_long"))
        .body("errors.find { it.code == 'text_too_long' }.limit", equalTo(5000))
        .body("errors.find { it.code == 'text_too_long' }.actual", equalTo(5001));
  }

  @Test
  void scheduleModesAndTimesAreCheckedNotGuessed() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    as(key).body(Map.of("text", "hi", "account_ids", List.of(account), "scheduled_at", Instant.now().minusSeconds(60).toString()))
        .post("/v1/posts").then().statusCode(400).body("errors[0].code", equalTo("scheduled_at_in_past"));
    as(key).body(Map.of("text", "hi", "account_ids", List.of(account), "scheduled_at", Instant.now().plusSeconds(400L * 86400).toString()))
        .post("/v1/posts").then().statusCode(400).body("errors[0].code", equalTo("scheduled_at_too_far"));
    as(key).body(Map.of("text", "hi", "account_ids", List.of(account), "scheduled_at", Instant.now().plusSeconds(60).toString(), "publish_now", true))
        .post("/v1/posts").then().statusCode(400).body("errors[0].code", equalTo("conflicting_modes"));
    as(key).body(Map.of("text", "hi", "account_ids", List.of())).post("/v1/posts").then().statusCode(400)
        .body("errors[0].code", equalTo("targets_required"));
    // With an offset other than Z the instant is kept exactly.
    as(key).body(Map.of("text", "hi", "account_ids", List.of(account), "scheduled_at", "2099-06-01T11:00:00+02:00"))
        .post("/v1/posts").then().statusCode(400).body("errors[0].code", equalTo("scheduled_at_too_far"));
    as(key).body(Map.of("text", "hi", "account_ids", List.of(account), "scheduled_at", Instant.now().plusSeconds(3600).toString(),
            "time_zone", "Europe/Berlin", "platform_options", Map.of("sandbox", Map.of("outcome", "explode"))))
        .post("/v1/posts").then().statusCode(400)
        .body("errors[0].field", equalTo("platform_options.sandbox.outcome")).body("errors[0].code", equalTo("invalid_option"));
  }

  @Test
  void badBodiesGet4xxProblemsNever5xx() {
    String key = Api.newWorkspace();
    as(key).body("{not json").post("/v1/posts").then().statusCode(400).contentType("application/problem+json")
        .body("code", equalTo("malformed_json"));
    as(key).body("[1,2]").post("/v1/posts").then().statusCode(400).body("code", equalTo("malformed_json"));
    as(key).body("{\"text\": 5, \"account_ids\": \"acc\"}").post("/v1/posts").then().statusCode(400)
        .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("account_ids"));
    as(key).body("{\"txet\": \"typo\"}").post("/v1/posts").then().statusCode(400)
        .body("errors[0].code", equalTo("unknown_field")).body("errors[0].field", equalTo("txet"));
    as(key).contentType(ContentType.TEXT).body("hello").post("/v1/posts").then().statusCode(415)
        .body("code", equalTo("unsupported_media_type"));
    as(key).body("{\"publish_now\": \"yes\"}").post("/v1/posts").then().statusCode(400);
    as(key).body("{\"text\": \"" + "x".repeat(2_000_000) + "\"}").post("/v1/posts").then().statusCode(413);
    as(key).get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    as(key).queryParam("limit", "1000").get("/v1/posts").then().statusCode(400).body("errors[0].field", equalTo("limit"));
  }

  @Test
  void webhookTargetsOnPrivateNetworksAreRefused() {
    String key = Api.newWorkspace();
    for (String url : List.of("http://169.254.169.254/latest", "http://10.0.0.1/hook", "http://192.168.1.1/", "http://[fd00::1]/",
        "ftp://example.com/", "not a url")) {
      as(key).body(Map.of("url", url)).post("/v1/webhooks").then().statusCode(400).body("code", equalTo("unsafe_url"));
    }
    as(key).body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("post.nope"))).post("/v1/webhooks").then().statusCode(400)
        .body("errors[0].code", equalTo("unknown_event_type"));
    as(key).body(Map.of("url", "http://127.0.0.1:9/hook")).post("/v1/webhooks").then().statusCode(201)
        .body("secret", startsWith("whsec_")).body("events", equalTo(List.of("*")));
    as(key).get("/v1/webhooks").then().statusCode(200).body("data[0].secret", nullValue());
  }

  @Test
  void theSandboxPlatformKeepsEveryPostAndServesItsPermalink() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    // The platform's own API, called twice for one target without an Idempotency-Key: two posts exist.
    for (int i = 0; i < 2; i++) {
      given().header("Authorization", "Bearer sandbox-token").contentType(ContentType.JSON)
          .body(Map.of("account_id", account, "client_ref", "tgt_x" + account, "text", "hello"))
          .post("/sandbox/api/v1/posts").then().statusCode(201).body("id", startsWith("sbx_"));
    }
    given().contentType(ContentType.JSON).body(Map.of("account_id", account)).post("/sandbox/api/v1/posts").then().statusCode(401)
        .body("error.code", equalTo("invalid_token"));
    given().header("Authorization", "Bearer t").contentType(ContentType.JSON)
        .body(Map.of("account_id", account, "behaviour", Map.of("outcome", "failed:media_invalid")))
        .post("/sandbox/api/v1/posts").then().statusCode(422).body("error.code", equalTo("media_invalid"));
    String permalink = as(key).queryParam("target_id", "tgt_x" + account).get("/v1/sandbox/posts").then().statusCode(200)
        .body("data.size()", equalTo(2)).body("data[0].target_id", equalTo("tgt_x" + account)).body("data[0].repeats", equalTo(0))
        .extract().path("data[0].id");
    given().get("/sandbox/api/v1/posts/" + permalink).then().statusCode(200).body("text", equalTo("hello"));
    // With an Idempotency-Key the account used before, the platform answers the first post and makes no second one.
    String keyed = "tgt_k" + account;
    String first = given().header("Authorization", "Bearer sandbox-token").header("Idempotency-Key", keyed).contentType(ContentType.JSON)
        .body(Map.of("account_id", account, "client_ref", keyed, "text", "keyed"))
        .post("/sandbox/api/v1/posts").then().statusCode(201).header("Idempotent-Replayed", nullValue()).extract().path("id");
    given().header("Authorization", "Bearer sandbox-token").header("Idempotency-Key", keyed).contentType(ContentType.JSON)
        .body(Map.of("account_id", account, "client_ref", keyed, "text", "keyed"))
        .post("/sandbox/api/v1/posts").then().statusCode(200).header("Idempotent-Replayed", equalTo("true")).body("id", equalTo(first));
    as(key).queryParam("target_id", keyed).get("/v1/sandbox/posts").then().statusCode(200)
        .body("data.size()", equalTo(1)).body("data[0].id", equalTo(first)).body("data[0].repeats", equalTo(1));
    // Another workspace sees none of them; the admin key sees them.
    as(Api.newWorkspace()).queryParam("account_id", account).get("/v1/sandbox/posts").then().body("data.size()", equalTo(0));
    as(Api.ADMIN).queryParam("account_id", account).get("/v1/sandbox/posts").then().body("data.size()", equalTo(3));
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    Map<String, Object> body = Map.of("text", "once", "account_ids", List.of(account));
    String first = as(key).header("Idempotency-Key", "k-1").body(body).post("/v1/posts").then().statusCode(201)
        .header("Idempotent-Replayed", nullValue()).extract().path("id");
    as(key).header("Idempotency-Key", "k-1").body(body).post("/v1/posts").then().statusCode(201)
        .header("Idempotent-Replayed", equalTo("true")).body("id", equalTo(first));
    as(key).header("Idempotency-Key", "k-1").body(Map.of("text", "other", "account_ids", List.of(account))).post("/v1/posts")
        .then().statusCode(422).body("code", equalTo("idempotency_key_reused"));
    // Keys are per workspace: another workspace's same key is a new request.
    String other = Api.newWorkspace();
    as(other).header("Idempotency-Key", "k-1").body(Map.of("text", "once", "account_ids", List.of(Api.sandboxAccount(other))))
        .post("/v1/posts").then().statusCode(201).body("id", not(equalTo(first)));
    as(key).queryParam("limit", "100").get("/v1/posts").then().body("data.size()", equalTo(1));
  }

  @jakarta.inject.Inject dev.postflow.posts.idempotency.IdempotencyCleanup idempotencyCleanup;

  /** Keys are kept for postflow.idempotency.retention-hours (48), then forgotten: the key then makes a new post. */
  @Test
  void anIdempotencyKeyIsForgottenAfterItsRetention() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    Map<String, Object> body = Map.of("text", "once", "account_ids", List.of(account));
    String old = as(key).header("Idempotency-Key", "k-old").body(body).post("/v1/posts").then().statusCode(201).extract().path("id");
    String kept = as(key).header("Idempotency-Key", "k-kept").body(body).post("/v1/posts").then().statusCode(201).extract().path("id");
    try (java.sql.Connection db = RealInfrastructure.jdbc(); java.sql.Statement sql = db.createStatement()) {
      sql.execute("update posts.idempotency_key set created_at = now() - interval '49 hours' where key = 'k-old'");
      sql.execute("update posts.idempotency_key set created_at = now() - interval '47 hours' where key = 'k-kept'");
    }
    org.junit.jupiter.api.Assertions.assertTrue(idempotencyCleanup.forgetOldKeys() >= 1);
    as(key).header("Idempotency-Key", "k-old").body(body).post("/v1/posts").then().statusCode(201)
        .header("Idempotent-Replayed", nullValue()).body("id", not(equalTo(old)));
    as(key).header("Idempotency-Key", "k-kept").body(body).post("/v1/posts").then().statusCode(201)
        .header("Idempotent-Replayed", equalTo("true")).body("id", equalTo(kept));
  }

  @Test
  void twentyConcurrentIdenticalRequestsCreateExactlyOnePost() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String url = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/v1/posts";
    String body = "{\"text\":\"burst\",\"account_ids\":[\"" + account + "\"]}";
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
    List<java.util.concurrent.Future<java.net.http.HttpResponse<String>>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(pool.submit(() -> {
        start.await();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json").header("Idempotency-Key", "burst-1")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      }));
    }
    start.countDown();
    java.util.Set<String> ids = new java.util.HashSet<>();
    int created = 0;
    for (var answer : answers) {
      var response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
      org.junit.jupiter.api.Assertions.assertTrue(response.statusCode() == 201 || response.statusCode() == 409, response.body());
      if (response.statusCode() == 201) {
        created++;
        ids.add(io.restassured.path.json.JsonPath.from(response.body()).getString("id"));
      }
    }
    pool.shutdown();
    org.junit.jupiter.api.Assertions.assertTrue(created >= 1);
    org.junit.jupiter.api.Assertions.assertEquals(1, ids.size(), "every 201 names the same post");
    as(key).queryParam("limit", "100").get("/v1/posts").then().body("data.size()", equalTo(1));
  }

  @Test
  void validateChecksWithoutStoringAndDraftsWaitForFixableProblems() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String tooLong = "x".repeat(5001);
    as(key).body(Map.of("text", tooLong, "account_ids", List.of(account), "publish_now", true)).post("/v1/posts/validate").then()
        .statusCode(200).body("valid", equalTo(false)).body("errors[0].code", equalTo("text_too_long"));
    as(key).body(Map.of("text", tooLong, "account_ids", List.of(account))).post("/v1/posts/validate").then()
        .statusCode(200).body("valid", equalTo(true)).body("warnings[0].code", equalTo("text_too_long"));
    as(key).body("{oops").post("/v1/posts/validate").then().statusCode(400).body("code", equalTo("malformed_json"));
    as(key).queryParam("limit", "100").get("/v1/posts").then().body("data.size()", equalTo(0));

    // A draft may be saved with a text that is too long, but not published or scheduled until it is fixed.
    String draft = as(key).body(Map.of("text", tooLong, "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("draft")).extract().path("id");
    as(key).post("/v1/posts/" + draft + "/publish").then().statusCode(400).body("errors[0].code", equalTo("text_too_long"));
    as(key).body(Map.of("scheduled_at", Instant.now().plusSeconds(3600).toString())).patch("/v1/posts/" + draft).then().statusCode(400);
    // A problem no edit can fix (an account of another workspace) blocks even a draft.
    as(key).body(Map.of("text", "x", "account_ids", List.of("acc_nope"))).post("/v1/posts").then().statusCode(400);
  }

  @Test
  void listsAreFilteredSortedByTimeWithDraftsLastAndPagedByCursor() {
    String key = Api.newWorkspace();
    String a = Api.sandboxAccount(key);
    String b = Api.sandboxAccount(key);
    Instant base = Instant.now().plusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    List<String> expected = new java.util.ArrayList<>();
    // Created out of order on purpose: the list follows scheduled_at, not creation.
    for (int offset : new int[] {300, 100, 200}) {
      expected.add(as(key).body(Map.of("text", "t" + offset, "account_ids", List.of(offset == 200 ? b : a),
          "scheduled_at", base.plusSeconds(offset).toString(), "external_id", "cms-" + offset)).post("/v1/posts").then().statusCode(201)
          .extract().path("id"));
    }
    // Another post at the same instant as one before it: the tie goes by id (creation order).
    String tie = as(key).body(Map.of("text", "tie", "account_ids", List.of(a), "scheduled_at", base.plusSeconds(200).toString()))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    String draft = as(key).body(Map.of("text", "draft", "account_ids", List.of(a))).post("/v1/posts").then().statusCode(201).extract().path("id");
    String secondDraft = as(key).body(Map.of("text", "draft 2", "account_ids", List.of(a))).post("/v1/posts").then().statusCode(201).extract().path("id");
    List<String> order = List.of(expected.get(1), expected.get(2), tie, expected.get(0), draft, secondDraft);

    List<String> seen = new java.util.ArrayList<>();
    String late = null;
    String cursor = null;
    do {
      var request = as(key).queryParam("limit", 1);
      if (cursor != null) request = request.queryParam("cursor", cursor);
      io.restassured.path.json.JsonPath page = request.get("/v1/posts").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("data.id"));
      cursor = page.getString("next_cursor");
      // A post created while paging does not disturb the pages (it sorts before the cursor here).
      if (seen.size() == 2) late = as(key).body(Map.of("text", "late", "account_ids", List.of(a), "scheduled_at", base.plusSeconds(1).toString()))
          .post("/v1/posts").then().statusCode(201).extract().path("id");
    } while (cursor != null);
    org.junit.jupiter.api.Assertions.assertEquals(order, seen);
    // Pages that end inside the scheduled posts and go on into the drafts.
    io.restassured.path.json.JsonPath first = as(key).queryParam("limit", 4).get("/v1/posts").then().statusCode(200).extract().jsonPath();
    org.junit.jupiter.api.Assertions.assertEquals(List.of(late, expected.get(1), expected.get(2), tie), first.getList("data.id"));
    as(key).queryParam("limit", 4).queryParam("cursor", first.getString("next_cursor")).get("/v1/posts").then().statusCode(200)
        .body("data.id", equalTo(List.of(expected.get(0), draft, secondDraft))).body("next_cursor", nullValue());
    // A page that ends at the last scheduled post: the next one holds only drafts.
    io.restassured.path.json.JsonPath five = as(key).queryParam("limit", 5).get("/v1/posts").then().statusCode(200).extract().jsonPath();
    as(key).queryParam("limit", 5).queryParam("cursor", five.getString("next_cursor")).get("/v1/posts").then().statusCode(200)
        .body("data.id", equalTo(List.of(draft, secondDraft))).body("next_cursor", nullValue());

    as(key).queryParam("account_id", b).get("/v1/posts").then().body("data.id", equalTo(List.of(expected.get(2))));
    as(key).queryParam("external_id", "cms-300").get("/v1/posts").then().body("data.id", equalTo(List.of(expected.get(0))));
    as(key).queryParam("status", "draft").get("/v1/posts").then().body("data.id", equalTo(List.of(draft, secondDraft)));
    as(key).queryParam("platform", "sandbox").queryParam("scheduled_from", base.plusSeconds(150).toString())
        .queryParam("scheduled_to", base.plusSeconds(250).toString()).get("/v1/posts").then().body("data.id", equalTo(List.of(expected.get(2), tie)));
    as(key).queryParam("cursor", "garbage").get("/v1/posts").then().statusCode(400).body("errors[0].code", equalTo("invalid_cursor"));
    as(key).queryParam("scheduled_from", "2026-01-01T00:00:00").get("/v1/posts").then().statusCode(400)
        .body("errors[0].code", equalTo("naive_time"));
  }

  @Test
  void publishWithPreferWaitAnswers202WhenThePostIsNotFinishedInTime() {
    // No publisher runs in this module's tests, so the post stays "publishing": 202 after the wait.
    String key = Api.newWorkspace();
    String draft = as(key).body(Map.of("text", "now", "account_ids", List.of(Api.sandboxAccount(key)))).post("/v1/posts").then()
        .statusCode(201).extract().path("id");
    long started = System.nanoTime();
    as(key).header("Prefer", "wait=1").post("/v1/posts/" + draft + "/publish").then().statusCode(202)
        .header("Preference-Applied", equalTo("wait=1")).body("status", equalTo("publishing"));
    org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - started >= 1_000_000_000L, "it waited for the post");
  }

  @Test
  void healthAndMetricsAreServed() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
        .body("checks.name", hasItems("Database connections health check", "SmallRye Reactive Messaging - readiness check"));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/posts"));
  }

  @Test
  void theOpenApiDocumentDescribesEveryPublicPathWithExamples() {
    io.restassured.path.json.JsonPath openapi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
        .extract().jsonPath();
    for (String path : java.util.List.of("/v1/posts", "/v1/posts/{id}", "/v1/posts/{id}/publish", "/v1/posts/{id}/retry", "/v1/posts/validate",
        "/v1/posts/{id}/attempts", "/v1/accounts", "/v1/accounts/connect", "/v1/media", "/v1/media/{id}", "/v1/webhooks",
        "/v1/webhooks/{id}/deliveries", "/v1/workspaces", "/v1/api-keys", "/v1/platforms", "/v1/platforms/{platform}", "/v1/queues", "/v1/queues/{id}/slots",
        "/v1/admin/bluesky/client-keys", "/v1/media/uploads", "/v1/media/uploads/{id}/complete", "/v1/oauth-apps", "/v1/mcp",
        "/v1/connect-links", "/v1/posts/{id}/edit", "/v1/posts/{id}/unpublish")) {
      org.junit.jupiter.api.Assertions.assertNotNull(openapi.get("paths['" + path + "']"), path + " is in /q/openapi");
    }
    for (String path : java.util.List.of("/v1/posts", "/v1/accounts", "/v1/accounts/connect", "/v1/webhooks", "/v1/queues", "/v1/media/uploads",
        "/v1/connect-links")) {
      String example = openapi.getString("paths['" + path + "'].post.requestBody.content['application/json'].examples.example.value");
      org.junit.jupiter.api.Assertions.assertNotNull(example, path + " has a request example");
    }
    given().get("/q/swagger-ui/").then().statusCode(200);
  }

  @Test
  void patchReplacesMetadataAndPlatformOptionsAndRefusesTheNulCharacter() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String post = as(key).body(Map.of("text", "hi", "account_ids", List.of(account), "metadata", Map.of("old", 1)))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("metadata", Map.of("cms_id", "4711"), "platform_options", Map.of("sandbox", Map.of("latency_ms", 5))))
        .patch("/v1/posts/" + post).then().statusCode(200)
        .body("metadata.cms_id", equalTo("4711")).body("metadata.old", nullValue())
        .body("platform_options.sandbox.latency_ms", equalTo(5));
    as(key).get("/v1/posts/" + post).then().body("metadata.cms_id", equalTo("4711"));
    as(key).body("{\"text\":\"a\\u0000b\"}").patch("/v1/posts/" + post).then().statusCode(400)
        .contentType("application/problem+json").body("code", equalTo("invalid_character"));
    as(key).get("/v1/posts/" + post).then().body("text", equalTo("hi"));
  }

  @Test
  void aReplayedWebhookRegistrationReturnsTheSameSecretWhichIsNotStoredInTheClear() throws Exception {
    String key = Api.newWorkspace();
    Map<String, Object> body = Map.of("url", "http://127.0.0.1:9/hooks", "events", List.of("*"));
    String first = as(key).header("Idempotency-Key", "wh-1").body(body).post("/v1/webhooks").then().statusCode(201)
        .extract().path("secret");
    as(key).header("Idempotency-Key", "wh-1").body(body).post("/v1/webhooks").then().statusCode(201)
        .header("Idempotent-Replayed", "true").body("secret", equalTo(first));
    try (java.sql.Connection db = dev.postflow.testsupport.RealInfrastructure.jdbc();
        java.sql.ResultSet row = db.createStatement().executeQuery("select response_body from posts.idempotency_key where key = 'wh-1'")) {
      while (row.next()) org.junit.jupiter.api.Assertions.assertFalse(row.getString(1).contains("whsec_"), "a secret stored in the clear");
    }
  }

  @Test
  void workspacesAndApiKeysTakeAnIdempotencyKeyToo() {
    String idem = "ws-" + System.nanoTime();
    String first = as(Api.ADMIN).header("Idempotency-Key", idem).body(Map.of("name", "Once")).post("/v1/workspaces").then()
        .statusCode(201).extract().path("id");
    as(Api.ADMIN).header("Idempotency-Key", idem).body(Map.of("name", "Once")).post("/v1/workspaces").then().statusCode(201)
        .header("Idempotent-Replayed", "true").body("id", equalTo(first));
    as(Api.ADMIN).header("Idempotency-Key", idem).body(Map.of("name", "Other")).post("/v1/workspaces").then().statusCode(422);
    String key = Api.newWorkspace();
    String keyId = as(key).header("Idempotency-Key", "k1").body(Map.of("name", "ci")).post("/v1/api-keys").then().statusCode(201)
        .extract().path("id");
    as(key).header("Idempotency-Key", "k1").body(Map.of("name", "ci")).post("/v1/api-keys").then().statusCode(201)
        .header("Idempotent-Replayed", "true").body("id", equalTo(keyId));
  }
}

