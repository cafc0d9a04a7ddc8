package dev.postflow.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A rebalance that gives this publisher back a partition it already had, while an account's lane still works on
 * requests taken before it: Kafka delivers the partition's uncommitted requests again, and a request of the earlier
 * delivery that finishes afterwards must not move the committed offset past requests still being worked on (a crash
 * then would lose them: found by the chaos run with two replicas of every service, where three posts stayed
 * "publishing" after their publisher was killed).
 */
@QuarkusTest
@TestProfile(ReassignedPartitionTest.LongLookups.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SandboxSimulator.class, restrictToAnnotatedClass = false)
class ReassignedPartitionTest {
  /** The held requests keep asking their lookups for the whole test (20 s in the other tests). */
  public static class LongLookups implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("postflow.publisher.lookup-window", "PT3M");
    }
  }

  private static final String GROUP = "publisher-service";
  @Inject SecretCipher cipher;

  @Test
  void aRequestFinishedFromBeforeARebalanceDoesNotCommitPastOnesStillBeingPublished() throws Exception {
    int partitions = partitionCount();
    String slowAccount = account(null, partitions);
    int partition = partitionOf(slowAccount, partitions);
    String plainAccount = account(partition, partitions); // three accounts on one partition, three lanes
    String quickAccount = account(partition, partitions);

    String slow = Ids.newId("tgt");                          // held in reconciliation until the test lets it go:
    SandboxSimulator.answerLate.put(slow, 120_000L);         // the answer is lost (publish timeout 1 s in tests)
    SandboxSimulator.failLookupsFirst.put(slow, 1_000_000);  // and every lookup answers 503
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, slowAccount, request(slow, slowAccount));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SandboxSimulator.lookupsFor(slow) >= 1);
    String plain = Ids.newId("tgt");                         // published at once
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, plainAccount, request(plain, plainAccount));
    results(plain, 1);
    String quick = Ids.newId("tgt");                         // held like the slow one, let go after the rebalance
    SandboxSimulator.answerLate.put(quick, 120_000L);
    SandboxSimulator.failLookupsFirst.put(quick, 1_000_000);
    KafkaTopics.send(Topics.PUBLISH_REQUESTS, quickAccount, request(quick, quickAccount));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SandboxSimulator.lookupsFor(quick) >= 1);
    long slowOffset = offsetOf(slow);
    long quickOffset = offsetOf(quick);
    TopicPartition assigned = new TopicPartition(Topics.PUBLISH_REQUESTS, partition);

    // Another member joins the group for another topic: every member's partitions are revoked and given back, and the
    // publisher receives the partition's three uncommitted requests again, in one batch that ends with the quick one.
    try (KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafka().bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, GROUP,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      member.subscribe(List.of("postflow.test-rebalance-" + UUID.randomUUID()));
      // The plain request delivered again is answered from the ledger: a second result shows the second delivery arrived.
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        member.poll(Duration.ofMillis(100));
        return count(plain) == 2;
      });

      // The quick request of the first delivery finishes now, after the partition was given back.
      SandboxSimulator.failLookupsFirst.put(quick, 0);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        member.poll(Duration.ofMillis(100));
        return count(quick) >= 1;
      });
      // The slow one is still being published: the offset committed (every 5 s) stays at or before it.
      Awaitility.await().pollDelay(Duration.ZERO).during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(12)).untilAsserted(() -> {
        member.poll(Duration.ofMillis(100));
        long committed = committed(assigned);
        assertTrue(committed <= slowOffset, "committed " + committed + ", past the request at " + slowOffset + " still being published");
      });

      SandboxSimulator.failLookupsFirst.put(slow, 0);
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        member.poll(Duration.ofMillis(100));
        return committed(assigned) > quickOffset;
      });
    }
    assertEquals(1, SandboxSimulator.postsFor(slow));
    assertEquals(1, SandboxSimulator.postsFor(quick));
    assertEquals(1, SandboxSimulator.postsFor(plain));
  }

  private static void results(String target, int count) {
    KafkaTopics.await(Topics.PUBLISH_RESULTS, r -> r.value().contains("\"" + target + "\""), count, Duration.ofSeconds(30));
  }

  /** How many results for the target are on the results topic now. */
  private static int count(String target) {
    try (KafkaConsumer<String, String> consumer = plainConsumer()) {
      List<TopicPartition> all = consumer.partitionsFor(Topics.PUBLISH_RESULTS).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> end = consumer.endOffsets(all);
      int found = 0;
      while (all.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value().contains("\"" + target + "\"")) found++;
        }
      }
      return found;
    }
  }

  /** A new sandbox account on {@code partition} of the publish requests (any partition when null). */
  private String account(Integer partition, int partitions) throws Exception {
    while (true) {
      String accountId = PlatformTestAccounts.insert(cipher, "sandbox", "sbx-1", "sandbox-token", Map.of());
      if (partition == null || partitionOf(accountId, partitions) == partition) return accountId;
    }
  }

  /** The partition Kafka's default partitioner picks for a key. */
  private static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private static int partitionCount() {
    try (KafkaConsumer<String, String> consumer = plainConsumer()) {
      return consumer.partitionsFor(Topics.PUBLISH_REQUESTS).size();
    }
  }

  private static long offsetOf(String target) {
    ConsumerRecord<String, String> record =
        KafkaTopics.await(Topics.PUBLISH_REQUESTS, r -> r.value().contains("\"" + target + "\""), 1, Duration.ofSeconds(30)).get(0);
    return record.offset();
  }

  /** The group's committed offset of the partition (the next record it would read), -1 for none. */
  private static long committed(TopicPartition partition) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafka().bootstrapServers()))) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().get(partition);
      return offset == null ? -1 : offset.offset();
    }
  }

  private static KafkaConsumer<String, String> plainConsumer() {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafka().bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
  }

  private static String request(String targetId, String accountId) {
    return "{\"request_id\":\"" + targetId + ".1\",\"post_id\":\"post_1\",\"target_id\":\"" + targetId
        + "\",\"workspace_id\":\"ws_1\",\"account_id\":\"" + accountId + "\",\"platform\":\"sandbox\",\"attempt\":1"
        + ",\"text\":\"Hello\",\"media_ids\":[],\"platform_options\":{}}";
  }
}
