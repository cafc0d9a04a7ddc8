package dev.postflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {
  @Test
  void aRecordGoesThroughTheRealBrokerQuickly() throws Exception {
    KafkaBroker broker = RealInfrastructure.kafka();
    broker.createTopics(List.of("broker-test"), 4);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "broker-test",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      consumer.subscribe(List.of("broker-test"));
      while (consumer.assignment().isEmpty()) consumer.poll(Duration.ofMillis(100));
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>("broker-test", "k" + i, "v" + i)).get();
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        while (got.isEmpty()) consumer.poll(Duration.ofSeconds(5)).forEach(got::add);
        latencies.add((System.nanoTime() - sent) / 1_000_000);
        assertEquals("v" + i, got.get(0).value());
      }
      System.out.println("produce->consume latency ms: " + latencies);
    }
  }
}
