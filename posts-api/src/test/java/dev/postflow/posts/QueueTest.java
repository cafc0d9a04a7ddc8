package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Posting queues: weekly slots in a time zone; a post created with queue_id takes the first free slot, concurrent
 * creates never share a slot beyond its capacity, and a cancelled or moved post frees its slot.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class QueueTest {
  private static final List<String> EVERY_DAY = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private static String queue(String key, int capacity, List<String> times) {
    return as(key).body(Map.of("name", "Daily", "time_zone", "America/New_York", "capacity", capacity,
            "slots", List.of(Map.of("days", EVERY_DAY, "times", times))))
        .post("/v1/queues").then().statusCode(201).body("time_zone", equalTo("America/New_York")).extract().path("id");
  }

  private static String queued(String key, String account, String queue, String text) {
    return as(key).body(Map.of("text", text, "account_ids", List.of(account), "queue_id", queue)).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("scheduled")).body("queue_id", equalTo(queue)).extract().path("id");
  }

  private static Instant scheduledAt(String key, String post) {
    return Instant.parse(as(key).get("/v1/posts/" + post).then().extract().path("scheduled_at"));
  }

  @Test
  void postsTakeTheNextFreeSlotsInTheQueuesTimeZoneAndAFreedSlotIsTakenAgain() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String queue = queue(key, 1, List.of("09:00", "17:30"));
    List<Instant> expected = new ArrayList<>();
    for (Object at : as(key).queryParam("limit", 3).get("/v1/queues/" + queue + "/slots").then().statusCode(200)
        .body("data.free", equalTo(List.of(true, true, true))).extract().jsonPath().getList("data.at")) {
      expected.add(Instant.parse(at.toString()));
    }
    for (Instant slot : expected) {
      ZonedDateTime local = slot.atZone(ZoneId.of("America/New_York"));
      assertTrue(local.getHour() == 9 && local.getMinute() == 0 || local.getHour() == 17 && local.getMinute() == 30, local.toString());
    }
    String first = queued(key, account, queue, "first");
    String second = queued(key, account, queue, "second");
    String third = queued(key, account, queue, "third");
    assertEquals(expected, List.of(scheduledAt(key, first), scheduledAt(key, second), scheduledAt(key, third)));
    as(key).get("/v1/posts/" + first).then().body("time_zone", equalTo("America/New_York"));
    as(key).queryParam("limit", 4).get("/v1/queues/" + queue + "/slots").then().body("data.taken", equalTo(List.of(1, 1, 1, 0)));

    // cancelling the second frees its slot: the next post takes it; moving the third by hand frees its slot too
    as(key).delete("/v1/posts/" + second).then().statusCode(200);
    String fourth = queued(key, account, queue, "fourth");
    assertEquals(expected.get(1), scheduledAt(key, fourth));
    as(key).body(Map.of("scheduled_at", Instant.now().plusSeconds(400 * 86_400L / 2).toString())).patch("/v1/posts/" + third)
        .then().statusCode(200).body("queue_id", nullValue());
    assertEquals(expected.get(2), scheduledAt(key, queued(key, account, queue, "fifth")));

    // deleting the queue leaves its posts where they are, outside any queue
    as(key).delete("/v1/queues/" + queue).then().statusCode(204);
    as(key).get("/v1/posts/" + first).then().body("status", equalTo("scheduled")).body("queue_id", nullValue());
    assertEquals(expected.get(0), scheduledAt(key, first));
    as(key).get("/v1/queues/" + queue).then().statusCode(404);
  }

  @Test
  void aDraftJoinsAQueueWithPatchAndTheQueuesPostsAreListedByIt() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String queue = queue(key, 1, List.of("06:00"));
    String taken = queued(key, account, queue, "already queued");
    String draft = as(key).body(Map.of("text", "a draft", "account_ids", List.of(account))).post("/v1/posts").then().statusCode(201)
        .body("status", equalTo("draft")).extract().path("id");
    as(key).body(Map.of("queue_id", queue)).patch("/v1/posts/" + draft).then().statusCode(200)
        .body("status", equalTo("scheduled")).body("queue_id", equalTo(queue)).body("time_zone", equalTo("America/New_York"));
    Instant first = scheduledAt(key, taken);
    assertEquals(first.plusSeconds(86_400).atZone(ZoneId.of("America/New_York")).toLocalTime(),
        scheduledAt(key, draft).atZone(ZoneId.of("America/New_York")).toLocalTime(), "the next day's 06:00, local");
    assertTrue(scheduledAt(key, draft).isAfter(first));
    as(key).queryParam("queue_id", queue).get("/v1/posts").then().statusCode(200).body("data.id", equalTo(List.of(taken, draft)));

    // both at once is refused; leaving the queue keeps the time
    as(key).body(Map.of("queue_id", queue, "scheduled_at", Instant.now().plusSeconds(7200).toString())).patch("/v1/posts/" + draft)
        .then().statusCode(400).body("errors.code", hasItem("conflicting_modes"));
    java.util.HashMap<String, Object> leave = new java.util.HashMap<>();
    leave.put("queue_id", null);
    Instant before = scheduledAt(key, draft);
    as(key).body(leave).patch("/v1/posts/" + draft).then().statusCode(200).body("queue_id", nullValue()).body("status", equalTo("scheduled"));
    assertEquals(before, scheduledAt(key, draft));
    as(key).queryParam("queue_id", queue).get("/v1/posts").then().body("data.id", equalTo(List.of(taken)));
    as(key).body(Map.of("queue_id", "que_missing")).patch("/v1/posts/" + draft).then().statusCode(400)
        .body("errors[0].code", equalTo("queue_not_found"));
  }

  @Test
  void concurrentCreatesNeverOverbookASlot() throws Exception {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String queue = queue(key, 2, List.of("08:00", "12:00", "20:00"));
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<CompletableFuture<String>> posts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      posts.add(CompletableFuture.supplyAsync(() -> queued(key, account, queue, "concurrent " + n), clients));
    }
    Map<Instant, Integer> perSlot = new java.util.TreeMap<>();
    for (CompletableFuture<String> post : posts) perSlot.merge(scheduledAt(key, post.get()), 1, Integer::sum);
    clients.shutdown();
    assertEquals(8, perSlot.size(), "16 posts in 8 slots of 2: " + perSlot);
    assertEquals(new HashSet<>(List.of(2)), new HashSet<>(perSlot.values()));
    List<Instant> slots = new ArrayList<>();
    for (Object at : as(key).queryParam("limit", 8).get("/v1/queues/" + queue + "/slots").then().extract().jsonPath().getList("data.at")) {
      slots.add(Instant.parse(at.toString()));
    }
    assertEquals(slots, new ArrayList<>(perSlot.keySet()), "the first eight slots, none skipped");
  }

  @Test
  void aQueueFullerThanOneReadsWindowIsFilledInOrderAcrossIt() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String queue = queue(key, 1, List.of("00:00", "06:00", "12:00", "18:00"));
    // 230 posts by bulk create (each post placed on its own, in order): slots are read 200 at a time
    List<Instant> times = new ArrayList<>();
    for (int from = 0; from < 230; from += 100) {
      List<Map<String, Object>> bulk = new ArrayList<>();
      for (int i = from; i < Math.min(230, from + 100); i++) bulk.add(Map.of("text", "bulk " + i, "account_ids", List.of(account), "queue_id", queue));
      for (Object at : as(key).body(Map.of("posts", bulk)).post("/v1/posts/bulk").then().statusCode(200)
          .body("failed", equalTo(0)).extract().jsonPath().getList("data.post.scheduled_at")) {
        times.add(Instant.parse(at.toString()));
      }
    }
    assertEquals(230, new HashSet<>(times).size(), "each post its own slot");
    for (int i = 1; i < times.size(); i++) assertEquals(21_600, times.get(i).getEpochSecond() - times.get(i - 1).getEpochSecond(), "no slot skipped at " + i);
  }

  @Test
  void badQueuesAndQueuedPostsAreRefusedWithEveryProblem() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    as(key).body(Map.of("name", "", "time_zone", "Mars/Olympus", "capacity", 0,
            "slots", List.of(Map.of("days", List.of("monday"), "times", List.of("9:00", "24:00")))))
        .post("/v1/queues").then().statusCode(400).body("code", equalTo("validation_failed"))
        .body("errors.field", equalTo(List.of("name", "time_zone", "capacity", "slots[0].days[0]", "slots[0].times[0]", "slots[0].times[1]")));
    as(key).body(Map.of("name", "No slots")).post("/v1/queues").then().statusCode(400)
        .body("errors.field", equalTo(List.of("time_zone", "slots")));

    String queue = queue(key, 1, List.of("10:00"));
    as(key).body(Map.of("text", "both", "account_ids", List.of(account), "queue_id", queue, "scheduled_at", Instant.now().plusSeconds(3600).toString()))
        .post("/v1/posts").then().statusCode(400).body("errors.code", hasItem("conflicting_modes"));
    as(key).body(Map.of("text", "nowhere", "account_ids", List.of(account), "queue_id", "que_missing"))
        .post("/v1/posts").then().statusCode(400).body("errors[0].field", equalTo("queue_id")).body("errors[0].code", equalTo("queue_not_found"));
    // another workspace's queue is not found either
    String other = Api.newWorkspace();
    as(other).body(Map.of("text", "theirs", "account_ids", List.of(Api.sandboxAccount(other)), "queue_id", queue))
        .post("/v1/posts").then().statusCode(400).body("errors[0].code", equalTo("queue_not_found"));
    as(other).get("/v1/queues/" + queue).then().statusCode(404);

    // PATCH changes what it names; the list shows the queue
    as(key).body(Map.of("capacity", 3, "slots", List.of(Map.of("days", List.of("sat", "sun"), "times", List.of("11:15")))))
        .patch("/v1/queues/" + queue).then().statusCode(200).body("capacity", equalTo(3)).body("name", equalTo("Daily"))
        .body("slots[0].days", equalTo(List.of("sat", "sun")));
    as(key).get("/v1/queues").then().statusCode(200).body("data.id", equalTo(List.of(queue)));
  }
}
