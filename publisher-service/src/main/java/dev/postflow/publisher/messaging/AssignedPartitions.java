package dev.postflow.publisher.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Which request partitions this replica holds, and since which consumer group generation: a batch polled before its
 * partition was revoked (and perhaps given back) belongs to the earlier assignment, and its acknowledgement must not
 * count for the new one.
 *
 * <p>Why: requests are published in account lanes after their batch was handed over, so a rebalance can revoke a
 * partition while its requests are still being published. Kafka then delivers the uncommitted requests again from
 * the committed offset. SmallRye's throttled commits keep one offset record per assigned partition and look it up
 * again when a message is acknowledged; an acknowledgement from the earlier delivery, arriving after the partition
 * was given back to this replica, was counted in the new record and could commit past requests of both deliveries
 * still waiting in their lanes (a crash then lost them: ReassignedPartitionTest). An earlier delivery's batch is
 * therefore neither acknowledged nor failed: its requests were delivered again and are acknowledged (or failed) with
 * that delivery, which the ledger answers without a second platform call.
 */
@ApplicationScoped
@Identifier("publisher-assignments")
public class AssignedPartitions implements KafkaConsumerRebalanceListener {
  private final Map<TopicPartition, Integer> assignedInGeneration = new ConcurrentHashMap<>();

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    int generation = consumer.groupMetadata().generationId();
    for (TopicPartition partition : partitions) assignedInGeneration.put(partition, generation);
  }

  /** Also called for partitions lost (the interface's default for {@code onPartitionsLost}). */
  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) assignedInGeneration.remove(partition);
  }

  /** Whether every partition of a polled batch is still held under the assignment the batch was polled in. */
  boolean stillHeld(IncomingKafkaRecordBatchMetadata<?, ?> batch) {
    for (TopicPartition partition : batch.partitions()) {
      Integer assigned = assignedInGeneration.get(partition);
      if (assigned == null || batch.getConsumerGroupGenerationId() < assigned) return false;
    }
    return true;
  }
}
