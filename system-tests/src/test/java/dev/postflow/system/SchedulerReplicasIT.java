package dev.postflow.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler replicas share the due work (FOR UPDATE SKIP LOCKED) with no post handed over twice, never early;
 * when one is SIGKILLed the other carries on alone.
 */
class SchedulerReplicasIT {
  private static Map<String, String> schedule(String prefix, int count, Instant dueAt) {
    Map<String, String> requests = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String postId = prefix + i;
      requests.put(postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + dueAt + "\"}");
    }
    KafkaTopics.sendAll(Topics.SCHEDULE_REQUESTS, requests);
    return requests;
  }

  /** replica -> posts handed over, for posts with this prefix; fails if any was handed over early. */
  private static Map<String, Integer> handedOver(String prefix) throws Exception {
    Map<String, Integer> byReplica = new HashMap<>();
    try (Connection db = RealInfrastructure.jdbc(); ResultSet rows = db.createStatement().executeQuery(
        "select handed_over_by, count(*), count(*) filter (where handed_over_at < due_at) from scheduler.hand_over"
            + " where post_id like '" + prefix + "%' group by 1")) {
      while (rows.next()) {
        assertEquals(0, rows.getInt(3), "posts handed over before their time by " + rows.getString(1));
        byReplica.put(rows.getString(1), rows.getInt(2));
      }
    }
    return byReplica;
  }

  private static int waiting(String prefix) throws Exception {
    try (Connection db = RealInfrastructure.jdbc(); ResultSet row = db.createStatement().executeQuery(
        "select count(*) from scheduler.scheduled_post where post_id like '" + prefix + "%' and due_at is not null")) {
      row.next();
      return row.getInt(1);
    }
  }

  @Test
  void twoReplicasShareTheWorkWithoutDoubleHandOverAndOneCarriesOnWhenTheOtherDies() throws Exception {
    RunningServices services = RunningServices.shared();
    services.startReplica("scheduler-service", "scheduler-service-2");

    String prefix = "post_replicas_" + System.nanoTime() + "_";
    int count = 3000;
    Instant dueAt = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
    schedule(prefix, count, dueAt);
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> handedOver(prefix).values().stream().mapToInt(Integer::intValue).sum() == count);
    Map<String, Integer> byReplica = handedOver(prefix);
    System.out.printf("two scheduler replicas handed over %d posts due at once: %s%n", count, byReplica);
    assertEquals(2, byReplica.size(), "both replicas took a share: " + byReplica);

    List<ConsumerRecord<String, String>> due = KafkaTopics.await(Topics.POSTS_DUE, r -> r.key().startsWith(prefix), count, Duration.ofSeconds(30));
    Map<String, Long> perPost = due.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    assertEquals(count, perPost.size());
    assertTrue(perPost.values().stream().allMatch(n -> n == 1), "a post was handed over twice");

    // Posts waiting in the table, then SIGKILL one replica: the survivor hands every one over, on time.
    String after = "post_survivor_" + System.nanoTime() + "_";
    Instant dueLater = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
    schedule(after, 500, dueLater);
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> waiting(after) == 500);
    services.kill("scheduler-service-2");
    services.forget("scheduler-service-2");
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> handedOver(after).values().stream().mapToInt(Integer::intValue).sum() == 500);
    assertEquals(Map.of("scheduler-service", 500), handedOver(after));
    try (Connection db = RealInfrastructure.jdbc(); ResultSet row = db.createStatement().executeQuery(
        "select extract(epoch from max(handed_over_at) - min(due_at)) * 1000 from scheduler.hand_over where post_id like '" + after + "%'")) {
      row.next();
      System.out.printf("after SIGKILL of a replica, the survivor handed over its 500 posts within %.0f ms of their time%n", row.getDouble(1));
      assertTrue(row.getDouble(1) < 3000, "took " + row.getDouble(1) + " ms");
    }
  }
}
