package dev.postflow.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import dev.postflow.testsupport.WebhookReceiver;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The walking skeleton of the README, through all four services on the real broker and database. */
class EndToEndIT {
  private static RunningServices services;
  private static WebhookReceiver receiver;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    services = RunningServices.shared();
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    if (receiver != null) receiver.close();
  }

  private static RequestSpecification as(String key) {
    return given().baseUri(services.apiUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  @Test
  void aScheduledPostIsPublishedToTheSandboxAtItsTimeAndItsSignedWebhookDelivered() throws Exception {
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Acme")).post("/v1/workspaces")
        .then().statusCode(201).body("id", startsWith("ws_")).extract().path("api_key");
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-acme", "handle", "@acme", "access_token", "sbx-token"))
        .post("/v1/accounts").then().statusCode(201).body("status", equalTo("active")).extract().path("id");
    String secret = as(key).body(Map.of("url", receiver.url(), "events", List.of("post.published")))
        .post("/v1/webhooks").then().statusCode(201).body("secret", startsWith("whsec_")).extract().path("secret");

    Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
    JsonPath created = as(key).body(Map.of("text", "Hello from the walking skeleton", "account_ids", List.of(account), "scheduled_at", at.toString()))
        .post("/v1/posts").then().statusCode(201).body("status", equalTo("scheduled")).extract().jsonPath();
    String postId = created.getString("id");
    String targetId = created.getString("targets[0].id");

    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        as(key).get("/v1/posts/" + postId).then()
            .body("status", equalTo("published"))
            .body("targets[0].status", equalTo("published"))
            .body("targets[0].platform_post_id", startsWith("sbx_"))
            .body("targets[0].permalink", notNullValue()));

    // The sandbox's own record: published exactly once, and not before its time.
    JsonPath sandbox = as(key).queryParam("target_id", targetId).get("/v1/sandbox/posts").then().statusCode(200).extract().jsonPath();
    assertEquals(1, sandbox.getList("data").size());
    assertEquals(0, sandbox.getInt("data[0].repeats"), "no second create was even sent (the Idempotency-Key would have hidden it)");
    assertEquals("Hello from the walking skeleton", sandbox.getString("data[0].text"));
    Instant receivedAt = Instant.parse(sandbox.getString("data[0].received_at"));
    assertFalse(receivedAt.isBefore(at), "published at " + receivedAt + ", before its time " + at);
    System.out.printf("lateness of the walking-skeleton post (sandbox received_at - scheduled_at): %d ms%n", Duration.between(at, receivedAt).toMillis());

    try (java.sql.Connection db = dev.postflow.testsupport.RealInfrastructure.jdbc();
        java.sql.ResultSet row = db.createStatement().executeQuery("select s.handed_over_at, l.started_at, l.finished_at from scheduler.hand_over s, publisher.publish_ledger l where s.post_id = '" + postId + "' and l.post_id = s.post_id")) {
      row.next();
      System.out.printf("timeline: due %s, scheduler handed over %s, publisher started %s, finished %s%n", at, row.getTimestamp(1).toInstant(), row.getTimestamp(2).toInstant(), row.getTimestamp(3).toInstant());
    }
    // The signed webhook, verified with the official Standard Webhooks library.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
    WebhookReceiver.Received delivery = receiver.received().get(0);
    new Webhook(secret).verify(delivery.body(), delivery.headers());
    JsonNode event = json.readTree(delivery.body());
    assertEquals("post.published", event.get("type").asText());
    assertEquals(event.get("id").asText(), delivery.header("webhook-id"));
    assertEquals(postId, event.get("data").get("id").asText());
    assertEquals("published", event.get("data").get("targets").get(0).get("status").asText());

    // A second post once everything is warm: its lateness is the steady-state figure.
    Instant second = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
    String secondTarget = as(key).body(Map.of("text", "second", "account_ids", List.of(account), "scheduled_at", second.toString()))
        .post("/v1/posts").then().statusCode(201).extract().path("targets[0].id");
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        as(key).queryParam("target_id", secondTarget).get("/v1/sandbox/posts").jsonPath().getList("data").size() == 1);
    Instant secondReceived = Instant.parse(as(key).queryParam("target_id", secondTarget).get("/v1/sandbox/posts").jsonPath().getString("data[0].received_at"));
    assertFalse(secondReceived.isBefore(second));
    System.out.printf("lateness of a second post once warm: %d ms%n", Duration.between(second, secondReceived).toMillis());
  }

  @Test
  void everyServiceServesHealthReadinessAndMetrics() {
    for (String service : List.of("posts-api", "scheduler-service", "publisher-service", "webhook-service")) {
      given().baseUri(services.url(service)).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
      given().baseUri(services.url(service)).get("/q/health/ready").then().statusCode(200)
          .body("checks.name", org.hamcrest.Matchers.hasItems("Database connections health check", "SmallRye Reactive Messaging - readiness check"));
      given().baseUri(services.url(service)).get("/q/metrics").then().statusCode(200)
          .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
  }

  @Test
  void aRescheduledPostIsPublishedAtItsNewTimeNotTheOldOne() {
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Moves")).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-m", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    Instant first = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
    Instant moved = first.plusSeconds(5);
    JsonPath created = as(key).body(Map.of("text", "moved", "account_ids", List.of(account), "scheduled_at", first.toString()))
        .post("/v1/posts").then().statusCode(201).extract().jsonPath();
    as(key).body(Map.of("scheduled_at", moved.toString())).patch("/v1/posts/" + created.getString("id")).then().statusCode(200);
    String targetId = created.getString("targets[0].id");
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        as(key).queryParam("target_id", targetId).get("/v1/sandbox/posts").jsonPath().getList("data").size() == 1);
    Instant received = Instant.parse(as(key).queryParam("target_id", targetId).get("/v1/sandbox/posts").jsonPath().getString("data[0].received_at"));
    assertFalse(received.isBefore(moved), "published at " + received + ", before its new time " + moved);
    JsonPath record = as(key).queryParam("target_id", targetId).get("/v1/sandbox/posts").jsonPath();
    assertEquals(1, record.getList("data").size());
    assertEquals(0, record.getInt("data[0].repeats"), "the old time's hand-over sent nothing");
  }

  @Test
  void aCancelledPostIsNeverPublished() {
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Cancel Co")).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-c", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    Instant at = Instant.now().plusSeconds(3);
    String cancelled = as(key).body(Map.of("text", "never", "account_ids", List.of(account), "scheduled_at", at.toString()))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/posts/" + cancelled).then().statusCode(200).body("status", equalTo("cancelled"));
    // Wait until after its time, then publish another post now and wait for it: the pipeline ran past the cancelled one.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(at.plusSeconds(1)));
    String marker = as(key).body(Map.of("text", "marker", "account_ids", List.of(account), "publish_now", true))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        as(key).get("/v1/posts/" + marker).then().body("status", equalTo("published")));
    as(key).get("/v1/posts/" + cancelled).then().body("status", equalTo("cancelled")).body("targets[0].status", equalTo("cancelled"));
    as(key).queryParam("account_id", account).get("/v1/sandbox/posts").then().statusCode(200)
        .body("data.size()", equalTo(1)).body("data[0].text", equalTo("marker"));
  }
}
