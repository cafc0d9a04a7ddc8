package dev.postflow.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class SchedulerTest {
  private final ObjectMapper json = new ObjectMapper();

  private static void schedule(String postId, long version, Instant dueAt) {
    KafkaTopics.send(Topics.SCHEDULE_REQUESTS, postId, request(postId, version, dueAt));
  }

  private static String request(String postId, long version, Instant dueAt) {
    return "{\"post_id\":\"" + postId + "\",\"schedule_version\":" + version
        + ",\"due_at\":" + (dueAt == null ? "null" : "\"" + dueAt + "\"") + "}";
  }

  private JsonNode read(ConsumerRecord<String, String> record) throws Exception {
    return json.readTree(record.value());
  }

  @Test
  void handsAPostOverAtItsTimeNeverBefore() throws Exception {
    String postId = Ids.newId("post");
    Instant due = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    schedule(postId, 1, due);
    ConsumerRecord<String, String> record = KafkaTopics.await(Topics.POSTS_DUE, r -> postId.equals(r.key()), 1, Duration.ofSeconds(20)).get(0);
    JsonNode handOver = read(record);
    assertEquals(1, handOver.get("schedule_version").asLong());
    assertEquals(due, Instant.parse(handOver.get("due_at").asText()));
    Instant handedOverAt = Instant.parse(handOver.get("handed_over_at").asText());
    assertFalse(handedOverAt.isBefore(due), "handed over at " + handedOverAt + ", before its time " + due);
    // The table keeps only what waits: the row is gone, the hand-over is in the log.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        count("select count(*) from scheduler.scheduled_post where post_id = '" + postId + "'") == 0
            && count("select count(*) from scheduler.hand_over where post_id = '" + postId + "' and schedule_version = 1") == 1);
    // Handed over once: a repeated schedule request of the same version changes nothing.
    schedule(postId, 1, due);
    assertThrows(AssertionError.class, () -> KafkaTopics.await(Topics.POSTS_DUE, r -> postId.equals(r.key()), 2, Duration.ofSeconds(3)));
    assertEquals(0, count("select count(*) from scheduler.scheduled_post where post_id = '" + postId + "'"));
  }

  /** Operators see how late hand-overs are: postflow_handover_lateness_seconds, a histogram, one sample per post. */
  @Test
  void everyHandOverIsASampleOfTheLatenessHistogram() {
    double before = dev.postflow.testsupport.PrometheusMetrics.value("postflow_handover_lateness_seconds_count");
    Instant due = Instant.now().plusSeconds(1);
    List<String> ids = java.util.stream.IntStream.range(0, 5).mapToObj(i -> Ids.newId("post")).toList();
    for (String id : ids) schedule(id, 1, due);
    KafkaTopics.await(Topics.POSTS_DUE, r -> ids.contains(r.key()), ids.size(), Duration.ofSeconds(20));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        dev.postflow.testsupport.PrometheusMetrics.value("postflow_handover_lateness_seconds_count") >= before + ids.size());
    assertTrue(dev.postflow.testsupport.PrometheusMetrics.value("postflow_handover_lateness_seconds_bucket", "le=+Inf") >= before + ids.size(),
        "the histogram's buckets are published for percentiles");
  }

  @jakarta.inject.Inject DueDispatcher dispatcher;

  /** The hand-over log is kept for postflow.scheduler.hand-over-retention (30 days), then deleted in chunks. */
  @Test
  void handOversOlderThanTheRetentionAreDeleted() throws Exception {
    String old = Ids.newId("post");
    String recent = Ids.newId("post");
    int expired = 2 * dev.postflow.contract.Retention.CHUNK + 500;
    try (java.sql.Connection connection = RealInfrastructure.jdbc(); java.sql.Statement sql = connection.createStatement()) {
      sql.execute("insert into scheduler.hand_over (post_id, schedule_version, due_at, handed_over_at, handed_over_by)"
          + " select '" + old + "', g, now() - interval '31 days', now() - interval '31 days', 'test' from generate_series(1, " + expired + ") g"
          + " union all select '" + recent + "', 1, now() - interval '29 days', now() - interval '29 days', 'test'");
    }
    assertTrue(dispatcher.deleteExpiredHandOvers() >= expired);
    assertEquals(0, count("select count(*) from scheduler.hand_over where post_id = '" + old + "'"));
    assertEquals(1, count("select count(*) from scheduler.hand_over where post_id = '" + recent + "'"));
  }

  private static long count(String sql) throws java.sql.SQLException {
    try (java.sql.Connection connection = RealInfrastructure.jdbc(); java.sql.ResultSet row = connection.createStatement().executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void aRescheduledPostIsHandedOverOnlyAtItsNewTime() throws Exception {
    String postId = Ids.newId("post");
    Instant first = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Instant moved = first.plusSeconds(2);
    schedule(postId, 1, first);
    schedule(postId, 2, moved);
    schedule(postId, 1, first); // a late copy of the old version is ignored
    List<ConsumerRecord<String, String>> records = KafkaTopics.await(Topics.POSTS_DUE, r -> postId.equals(r.key()), 1, Duration.ofSeconds(20));
    JsonNode handOver = read(records.get(0));
    assertEquals(2, handOver.get("schedule_version").asLong());
    assertFalse(Instant.parse(handOver.get("handed_over_at").asText()).isBefore(moved));
    schedule(postId, 1, first); // and so is one that arrives after the hand-over
    assertThrows(AssertionError.class, () -> KafkaTopics.await(Topics.POSTS_DUE, r -> postId.equals(r.key()), 2, Duration.ofSeconds(3)));
  }

  @Test
  void anUnscheduledPostIsNeverHandedOver() {
    String postId = Ids.newId("post");
    schedule(postId, 1, Instant.now().plusSeconds(1));
    schedule(postId, 2, null);
    assertThrows(AssertionError.class, () -> KafkaTopics.await(Topics.POSTS_DUE, r -> postId.equals(r.key()), 1, Duration.ofSeconds(4)));
  }

  @Test
  void manyPostsDueAtOnceAreAllHandedOverOnce() {
    Instant due = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    String prefix = Ids.newId("post");
    int count = 1200;
    java.util.Map<String, String> requests = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) requests.put(prefix + "-" + i, request(prefix + "-" + i, 1, due));
    KafkaTopics.sendAll(Topics.SCHEDULE_REQUESTS, requests);
    List<ConsumerRecord<String, String>> records =
        KafkaTopics.await(Topics.POSTS_DUE, r -> r.key().startsWith(prefix + "-"), count, Duration.ofSeconds(60));
    assertEquals(count, records.stream().map(ConsumerRecord::key).distinct().count());
    assertThrows(AssertionError.class, () -> KafkaTopics.await(Topics.POSTS_DUE, r -> r.key().startsWith(prefix + "-"), count + 1, Duration.ofSeconds(3)));
  }

  /** Hand-overs leave dead entries in the waiting index; the dispatcher vacuums the table every vacuum-every (500 here). */
  @Test
  void theTableIsVacuumedAsPostsAreHandedOver() throws Exception {
    long before = vacuumsOfScheduledPost();
    Instant due = Instant.now().plusSeconds(1);
    String prefix = Ids.newId("post");
    java.util.Map<String, String> requests = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 600; i++) requests.put(prefix + "-" + i, request(prefix + "-" + i, 1, due));
    KafkaTopics.sendAll(Topics.SCHEDULE_REQUESTS, requests);
    KafkaTopics.await(Topics.POSTS_DUE, r -> r.key().startsWith(prefix + "-"), 600, Duration.ofSeconds(60));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> vacuumsOfScheduledPost() > before);
  }

  private static long vacuumsOfScheduledPost() throws java.sql.SQLException {
    try (java.sql.Connection connection = RealInfrastructure.jdbc();
         java.sql.ResultSet row = connection.createStatement().executeQuery(
             "select vacuum_count from pg_stat_user_tables where schemaname = 'scheduler' and relname = 'scheduled_post'")) {
      return row.next() ? row.getLong(1) : 0;
    }
  }
}
