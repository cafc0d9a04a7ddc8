package dev.postflow.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: send a record, or wait for records that match. */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static void send(String topic, String key, String json) {
    sendAll(topic, Map.of(key, json));
  }

  /** Sends every key/value pair with one producer and waits until the broker has them all. */
  public static void sendAll(String topic, Map<String, String> records) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafka().bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      records.forEach((key, json) -> acks.add(producer.send(new ProducerRecord<>(topic, key, json))));
      for (java.util.concurrent.Future<?> ack : acks) ack.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("sending to " + topic, e);
    }
  }

  /** Reads the topic from the beginning until {@code count} records match, or fails after the timeout. */
  public static List<ConsumerRecord<String, String>> await(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count, Duration timeout) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafka().bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (found.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (match.test(record)) found.add(record);
        }
      }
    }
    if (found.size() < count) {
      throw new AssertionError("expected " + count + " matching records on " + topic + " within " + timeout + ", found " + found.size());
    }
    return found;
  }
}
