import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a Kafka consumer of the public topic saw of a chaos run: every post event of one workspace on postflow.events
 * from FROM to the topic's end, read the way the contract promises them (key = post id, at least once).
 * Counts, per post, events out of order (a first occurrence whose post version is lower than one read before it;
 * a repeated event id, sent again after a crash, is a duplicate, not a reordering), and compares the last event of each
 * post with the database's final status for the posts whose final status has an event (published, partial, failed,
 * cancelled): missing (no event at all) or different.
 * Usage (with the broker's classpath): java -cp CP EventOrder.java WORKSPACE FROM FINAL   (FINAL: lines "post_id|status")
 */
public class EventOrder {
  static final Pattern TYPE = Pattern.compile("^\\{\"type\":\"([^\"]+)\",\"id\":\"([^\"]+)\"");
  static final Pattern POST = Pattern.compile("\"data\":\\{\"id\":\"([^\"]+)\",\"status\":\"([^\"]+)\",\"version\":(\\d+)");

  public static void main(String[] args) throws Exception {
    String workspace = args[0];
    long from = Instant.parse(args[1]).toEpochMilli();
    Map<String, String> finalStatus = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      String[] parts = line.split("\\|");
      if (parts.length == 2) finalStatus.put(parts[0], parts[1]);
    }
    Properties config = new Properties();
    config.put("bootstrap.servers", System.getProperty("bootstrap.servers", "127.0.0.1:9092"));
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    config.put("enable.auto.commit", "false");
    config.put("max.poll.records", "5000");
    Set<String> seenIds = new HashSet<>();
    Map<String, Long> lastVersion = new HashMap<>();
    Map<String, String> lastStatus = new HashMap<>();
    long read = 0, duplicates = 0, outOfOrder = 0, wrongKey = 0, unreadable = 0;
    List<String> examples = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      String topic = "postflow.events";
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
          Header header = record.headers().lastHeader("ce_workspace");
          if (header == null || !workspace.equals(new String(header.value(), StandardCharsets.UTF_8)) || record.value() == null) continue;
          Matcher type = TYPE.matcher(record.value());
          if (!type.find() || !type.group(1).startsWith("post.")) continue;
          read++;
          Matcher post = POST.matcher(record.value());
          if (!post.find()) {
            unreadable++;
            continue;
          }
          String postId = post.group(1);
          if (!postId.equals(record.key())) wrongKey++;
          if (!seenIds.add(type.group(2))) {
            duplicates++;
            continue;
          }
          long version = Long.parseLong(post.group(3));
          Long before = lastVersion.get(postId);
          if (before != null && version < before) {
            outOfOrder++;
            if (examples.size() < 5) examples.add(postId + " " + type.group(1) + " v" + version + " after v" + before);
            continue;
          }
          lastVersion.put(postId, version);
          lastStatus.put(postId, post.group(2));
        }
      }
    }
    long checked = 0, missing = 0, differs = 0;
    for (Map.Entry<String, String> post : finalStatus.entrySet()) {
      checked++;
      String last = lastStatus.get(post.getKey());
      if (last == null) {
        missing++;
        if (examples.size() < 10) examples.add(post.getKey() + " is " + post.getValue() + ": no event");
      } else if (!last.equals(post.getValue())) {
        differs++;
        if (examples.size() < 10) examples.add(post.getKey() + " is " + post.getValue() + ", its last event says " + last);
      }
    }
    System.out.printf("events: %d post events read for %d posts (%d duplicates: sent again after a crash); out of order %d, keyed by another post %d, unreadable %d%n",
        read, lastVersion.size(), duplicates, outOfOrder, wrongKey, unreadable);
    System.out.printf("events: of %d posts that ended published, partial, failed or cancelled, last event missing %d, last event says another status %d%n",
        checked, missing, differs);
    for (String example : examples) System.out.println("events:   " + example);
  }
}
