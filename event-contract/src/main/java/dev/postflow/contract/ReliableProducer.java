package dev.postflow.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer every hand-over uses: acks from all replicas, idempotent (no duplicates from the producer's own
 * retries, order kept per partition), JSON strings. {@link #sendAll} returns only when the broker has every record.
 */
public final class ReliableProducer implements AutoCloseable {
  private final KafkaProducer<String, String> producer;

  public ReliableProducer(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    // A hand-over sends hundreds of records at once and waits for all of them: with the default 16 KB per partition
    // batch, 500 outbox rows (lifecycle events are ~1.5 KB) needed several produce requests, which one connection
    // sends at most 5 at a time.
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    // Batches go to the broker LZ4-compressed (every Kafka client reads them as they are): lifecycle events are JSON
    // of about 850 bytes, a burst sends tens of megabytes of them, and the broker's CPU per burst fell by a third
    // (docs/performance.md, (29)).
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    this.producer = new KafkaProducer<>(props);
  }

  public record Message(String topic, String key, String value, Map<String, String> headers) {
    /**
     * A lifecycle event about {@code subjectId} (an account, a webhook endpoint), keyed by it, with its CloudEvents
     * headers: {@code source} names the service ("/postflow/publisher-service").
     */
    public static Message lifecycleEvent(com.fasterxml.jackson.databind.ObjectMapper json, String source, String type, String workspaceId,
        String subjectId, Object data) throws com.fasterxml.jackson.core.JsonProcessingException {
      LifecycleEvent event = new LifecycleEvent(type, Ids.newId("evt"), java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
          json.valueToTree(data), workspaceId);
      return new Message(Topics.LIFECYCLE_EVENTS, subjectId, json.writeValueAsString(event), CloudEvents.headers(event, source, subjectId));
    }
  }

  /** Sends every message and waits for the broker's acknowledgement of each; throws if any failed. */
  public void sendAll(List<Message> messages) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
    for (Message message : messages) {
      ProducerRecord<String, String> record = new ProducerRecord<>(message.topic(), message.key(), message.value());
      if (message.headers() != null) {
        message.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
      }
      acks.add(producer.send(record));
    }
    for (Future<RecordMetadata> ack : acks) ack.get(40, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
