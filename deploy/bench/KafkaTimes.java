import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints "timestamp TAB value" for every record of TOPIC whose timestamp (the producer's send time) lies in [FROM, TO].
 * Usage (with the broker's classpath): java -cp CP KafkaTimes.java TOPIC FROM TO   (ISO instants). Used by run-hops.
 */
public class KafkaTimes {
  public static void main(String[] args) {
    String topic = args[0];
    long from = Instant.parse(args[1]).toEpochMilli();
    long to = Instant.parse(args[2]).toEpochMilli();
    Properties config = new Properties();
    config.put("bootstrap.servers", System.getProperty("bootstrap.servers", "127.0.0.1:9092"));
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    config.put("enable.auto.commit", "false");
    config.put("max.poll.records", "5000");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> start = new HashMap<>();
      for (TopicPartition partition : partitions) start.put(partition, from);
      for (Map.Entry<TopicPartition, OffsetAndTimestamp> first : consumer.offsetsForTimes(start).entrySet()) {
        consumer.seek(first.getKey(), first.getValue() == null ? end.get(first.getKey()) : first.getValue().offset());
      }
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.timestamp() < from || record.timestamp() > to) continue;
          String value = record.value().replace("\\", "\\\\").replace("\t", " "); // one line per record for psql's \copy
          System.out.println(Instant.ofEpochMilli(record.timestamp()) + "\t" + value);
        }
      }
    }
  }
}
