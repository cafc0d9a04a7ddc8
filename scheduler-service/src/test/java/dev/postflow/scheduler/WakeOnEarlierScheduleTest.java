package dev.postflow.scheduler;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher sleeps towards the next due time and is woken only by a schedule due before it. With a one-minute
 * idle cap, a post due in 2 s, arriving while the dispatcher sleeps towards a post due in an hour, must still be
 * handed over at its time (without the wake it would wait up to a minute).
 */
@QuarkusTest
@TestProfile(WakeOnEarlierScheduleTest.LongIdle.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class WakeOnEarlierScheduleTest {
  public static class LongIdle implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("postflow.scheduler.max-idle-ms", "60000");
    }
  }

  private static void schedule(String postId, Instant dueAt) {
    KafkaTopics.send(Topics.SCHEDULE_REQUESTS, postId, "{\"post_id\":\"" + postId + "\",\"schedule_version\":1,\"due_at\":\"" + dueAt + "\"}");
  }

  @Test
  void aScheduleDueBeforeTheDispatchersPlannedWakeWakesIt() throws Exception {
    schedule(Ids.newId("post"), Instant.now().plus(Duration.ofHours(1)));
    schedule(Ids.newId("post"), Instant.now().plus(Duration.ofHours(2))); // later than the planned wake: no round needed
    String soon = Ids.newId("post");
    Instant due = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    schedule(soon, due);
    ConsumerRecord<String, String> record = KafkaTopics.await(Topics.POSTS_DUE, r -> soon.equals(r.key()), 1, Duration.ofSeconds(20)).get(0);
    Instant handedOverAt = Instant.parse(new ObjectMapper().readTree(record.value()).get("handed_over_at").asText());
    assertFalse(handedOverAt.isBefore(due), "handed over at " + handedOverAt + ", before its time " + due);
  }
}
