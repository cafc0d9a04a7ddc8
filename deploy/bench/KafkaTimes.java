import java.time.*; import java.util.*;
import org.apache.kafka.clients.consumer.*; import org.apache.kafka.common.*;
import org.apache.kafka.common.serialization.StringDeserializer;
/** Prints "timestamp\tvalue" of every record of a topic whose timestamp lies in [FROM, TO] (ISO instants). */
public class KafkaTimes {
  public static void main(String[] a) throws Exception {
    String topic = a[0]; long from = Instant.parse(a[1]).toEpochMilli(), to = Instant.parse(a[2]).toEpochMilli();
    Properties p = new Properties(); p.put("bootstrap.servers", "127.0.0.1:9092");
    p.put("key.deserializer", StringDeserializer.class.getName()); p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("enable.auto.commit", "false"); p.put("max.poll.records", "5000");
    try (KafkaConsumer<String,String> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic)) parts.add(new TopicPartition(topic, i.partition()));
      c.assign(parts);
      Map<TopicPartition, Long> q = new HashMap<>(); for (TopicPartition t : parts) q.put(t, from);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      for (var e : c.offsetsForTimes(q).entrySet()) { if (e.getValue() == null) c.seek(e.getKey(), end.get(e.getKey())); else c.seek(e.getKey(), e.getValue().offset()); }
      int idle = 0;
      while (idle < 3) {
        var rs = c.poll(Duration.ofMillis(500)); if (rs.isEmpty()) { idle++; continue; } idle = 0;
        for (var r : rs) if (r.timestamp() >= from && r.timestamp() <= to)
          System.out.println(Instant.ofEpochMilli(r.timestamp()) + "\t" + r.value().replace("\\", "\\\\").replace("\t", " "));
        boolean done = true; for (TopicPartition t : parts) if (c.position(t) < end.get(t)) done = false; if (done) break;
      }
    }
  }
}
