package dev.postflow.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import dev.postflow.testsupport.WebhookReceiver;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook endpoints through the public API, delivered by webhook-service: test, rotate, log, replay, SIGKILL. */
class WebhooksIT {
  private static RunningServices services;
  private WebhookReceiver receiver;
  private String key;

  @BeforeAll
  static void start() {
    services = RunningServices.shared();
  }

  @BeforeEach
  void setUp() {
    receiver = new WebhookReceiver();
    key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Hooks " + System.nanoTime())).post("/v1/workspaces")
        .then().statusCode(201).extract().path("api_key");
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  private static RequestSpecification as(String key) {
    return given().baseUri(services.apiUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  private JsonPath register(List<String> events) {
    return as(key).body(Map.of("url", receiver.url(), "events", events, "description", "system test"))
        .post("/v1/webhooks").then().statusCode(201).body("secret", startsWith("whsec_")).extract().jsonPath();
  }

  private List<Map<String, Object>> deliveries(String endpointId) {
    return as(key).get("/v1/webhooks/" + endpointId + "/deliveries").then().statusCode(200).extract().jsonPath().getList("data");
  }

  @Test
  void registrationRefusesUnsafeUrlsAndBadFieldsWithEveryError() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[fd00::1]/", "http://2130706433/",
        "ftp://example.com/", "http://user:pw@127.0.0.1/")) {
      as(key).body(Map.of("url", url)).post("/v1/webhooks").then().statusCode(400).body("code", equalTo("unsafe_url"))
          .body("errors[0].field", equalTo("url"));
    }
    as(key).body(Map.of("events", List.of("post.nope"), "description", "x".repeat(501))).post("/v1/webhooks").then().statusCode(400)
        .body("errors.field", hasItem("url")).body("errors.field", hasItem("events[0]")).body("errors.field", hasItem("description"));
    String id = register(List.of("*")).getString("id");
    as(key).body(Map.of("status", "paused")).patch("/v1/webhooks/" + id).then().statusCode(400).body("errors[0].field", equalTo("status"));
    as(key).body(Map.of("url", "http://192.168.1.1/")).patch("/v1/webhooks/" + id).then().statusCode(400).body("code", equalTo("unsafe_url"));
    String other = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Other")).post("/v1/workspaces").then().extract().path("api_key");
    as(other).get("/v1/webhooks/" + id).then().statusCode(404);
    as(other).get("/v1/webhooks/" + id + "/deliveries").then().statusCode(404);
    as(other).post("/v1/webhooks/" + id + "/test").then().statusCode(404);
  }

  @Test
  void aTestEventReachesTheEndpointWhateverItsFilterOnceAndIsLogged() throws Exception {
    JsonPath endpoint = register(List.of("post.published"));
    String id = endpoint.getString("id");
    receiver.answerNext(500);
    String eventId = as(key).post("/v1/webhooks/" + id + "/test").then().statusCode(202).body("event_id", startsWith("evt_"))
        .extract().path("event_id");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
    WebhookReceiver.Received test = receiver.received().get(0);
    assertEquals(eventId, test.header("webhook-id"));
    assertTrue(test.body().contains("\"type\":\"webhook.test\""));
    new Webhook(endpoint.getString("secret")).verify(test.body(), test.headers());
    // Not retried: the failed test stays one attempt (the retry schedule here is 1 s).
    Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> receiver.received().size() == 1);
    List<Map<String, Object>> log = deliveries(id);
    assertEquals(1, log.size());
    assertEquals("webhook.test", log.get(0).get("event_type"));
    assertEquals(500, log.get(0).get("status_code"));
    assertEquals(false, log.get(0).get("success"));
    assertEquals("ok", log.get(0).get("response_body"));
    assertTrue(((String) log.get(0).get("id")).startsWith("del_"));

    // Replay it: the same webhook-id again, now delivered; the log shows both attempts, newest first.
    as(key).post("/v1/webhooks/" + id + "/deliveries/" + log.get(0).get("id") + "/replay").then().statusCode(202);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 2);
    assertEquals(eventId, receiver.received().get(1).header("webhook-id"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(id).size() == 2);
    assertEquals(true, deliveries(id).get(0).get("success"));
    as(key).queryParam("success", false).get("/v1/webhooks/" + id + "/deliveries").then().body("data.size()", equalTo(1));
    as(key).queryParam("limit", 1).get("/v1/webhooks/" + id + "/deliveries").then().body("data.size()", equalTo(1))
        .body("next_cursor", notNullValue());
    as(key).post("/v1/webhooks/" + id + "/deliveries/del_unknown/replay").then().statusCode(404);
  }

  @Test
  void afterARotationTheOldSecretKeepsVerifyingBesideTheNewOne() throws Exception {
    JsonPath endpoint = register(List.of("*"));
    String id = endpoint.getString("id");
    JsonPath rotated = as(key).post("/v1/webhooks/" + id + "/rotate-secret").then().statusCode(200)
        .body("secret", startsWith("whsec_")).body("previous_secret_expires_at", notNullValue()).extract().jsonPath();
    Instant expires = Instant.parse(rotated.getString("previous_secret_expires_at"));
    assertTrue(Duration.between(Instant.now(), expires).toHours() >= 23, "old secret kept until " + expires);
    as(key).get("/v1/webhooks/" + id).then().body("secret", nullValue());
    as(key).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
    WebhookReceiver.Received delivery = receiver.received().get(0);
    new Webhook(rotated.getString("secret")).verify(delivery.body(), delivery.headers());
    new Webhook(endpoint.getString("secret")).verify(delivery.body(), delivery.headers());
  }

  @Test
  void replaySinceSendsWhatADisabledEndpointMissed() {
    String id = register(List.of("post.scheduled")).getString("id");
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-" + System.nanoTime(), "handle", "@h", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    Instant before = Instant.now().minusSeconds(1);
    as(key).body(Map.of("status", "disabled")).patch("/v1/webhooks/" + id).then().statusCode(200)
        .body("status", equalTo("disabled")).body("disabled_reason", equalTo("disabled through the API"));
    as(key).post("/v1/webhooks/" + id + "/test").then().statusCode(409).body("code", equalTo("endpoint_disabled"));
    String postId = as(key).body(Map.of("text", "while the endpoint was off", "account_ids", List.of(account),
        "scheduled_at", Instant.now().plus(Duration.ofDays(2)).toString())).post("/v1/posts").then().statusCode(201).extract().path("id");
    // The post.scheduled event went by while the endpoint was disabled: after enabling, a replay since then sends it.
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiverSawEventOnTheStream(postId));
    assertEquals(0, receiver.received().size());
    as(key).body(Map.of("status", "enabled")).patch("/v1/webhooks/" + id).then().statusCode(200).body("disabled_reason", nullValue());
    as(key).body(Map.of("since", before.toString())).post("/v1/webhooks/" + id + "/replay").then().statusCode(202);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        receiver.received().stream().anyMatch(r -> r.body().contains("post.scheduled") && r.body().contains(postId)));
    as(key).body(Map.of("since", "yesterday")).post("/v1/webhooks/" + id + "/replay").then().statusCode(400)
        .body("errors[0].field", equalTo("since"));
  }

  /** webhook-service stored the event (it keeps every event of a workspace for replays). */
  private static boolean receiverSawEventOnTheStream(String postId) throws Exception {
    try (java.sql.Connection db = dev.postflow.testsupport.RealInfrastructure.jdbc();
        java.sql.ResultSet row = db.createStatement().executeQuery(
            "select count(*) from webhooks.event where type = 'post.scheduled' and payload like '%" + postId + "%'")) {
      row.next();
      return row.getInt(1) == 1;
    }
  }

  @Test
  void aSigkilledWebhookServiceLosesNoEventInTheMiddleOfABurst() throws Exception {
    register(List.of("post.scheduled"));
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-" + System.nanoTime(), "handle", "@h", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    int posts = 300;
    Set<String> postIds = new java.util.HashSet<>();
    boolean killed = false;
    for (int i = 0; i < posts; i++) {
      postIds.add(as(key).body(Map.of("text", "burst " + i, "account_ids", List.of(account),
          "scheduled_at", Instant.now().plus(Duration.ofDays(2)).toString())).post("/v1/posts").then().statusCode(201).extract().path("id"));
      if (!killed && receiver.received().size() >= 20) {
        services.kill("webhook-service"); // SIGKILL while deliveries are in flight
        killed = true;
        System.out.printf("webhook-service killed after %d of %d posts, %d webhooks received%n", i + 1, posts, receiver.received().size());
      }
    }
    assertTrue(killed, "the burst ended before 20 webhooks arrived; nothing was killed mid-burst");
    services.restart("webhook-service");
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> delivered().keySet().containsAll(postIds));
    Map<String, Long> perPost = delivered();
    long duplicates = perPost.values().stream().mapToLong(n -> n - 1).sum();
    System.out.printf("after SIGKILL mid-burst: %d events, %d received, 0 missing, %d duplicates%n", posts, receiver.received().size(), duplicates);
    assertEquals(posts, perPost.keySet().stream().filter(postIds::contains).count());
  }

  /** post id -> how many post.scheduled webhooks arrived for it. */
  private Map<String, Long> delivered() {
    Map<String, Long> counts = new HashMap<>();
    for (WebhookReceiver.Received r : receiver.received()) {
      int at = r.body().indexOf("\"id\":\"post_");
      if (at < 0) continue;
      String postId = r.body().substring(at + 6, r.body().indexOf('"', at + 6));
      counts.merge(postId, 1L, Long::sum);
    }
    return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
