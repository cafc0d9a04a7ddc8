package dev.postflow.webhooks.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.CloudEvents;
import dev.postflow.contract.StorageRetry;
import dev.postflow.webhooks.delivery.DeliveryFanOut;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the public lifecycle stream, a polled batch at a time, and stores a delivery per subscribed endpoint before
 * the offsets are committed. While the database is unreachable a batch is retried until it is back ({@link StorageRetry}).
 */
@ApplicationScoped
public class LifecycleEventConsumer {
  /** Longest wait between two tries of a batch the database did not take (see StorageRetry). */
  @ConfigProperty(name = "postflow.consumers.max-backoff")
  Duration maxBackoff;

  @Inject DeliveryFanOut fanOut;
  @Inject ObjectMapper json;

  @Incoming("lifecycle-events")
  @Blocking
  public void onEvents(ConsumerRecords<String, String> records) throws Exception {
    List<DeliveryFanOut.Event> events = new ArrayList<>(records.count());
    for (ConsumerRecord<String, String> record : records) {
      DeliveryFanOut.Event event = read(record);
      if (event == null) {
        Log.warnf("a lifecycle event without workspace, id or type was skipped (%s-%d offset %d)", record.topic(), record.partition(), record.offset());
      } else {
        events.add(event);
      }
    }
    if (events.isEmpty()) return;
    StorageRetry.run("deliveries of " + events.size() + " events", maxBackoff, () -> {
      int created = fanOut.fanOut(events);
      Log.debugf("%d events: %d deliveries", events.size(), created);
    });
  }

  /** Workspace, id and type from the CloudEvents headers (the body is read only when a producer left them out). */
  private DeliveryFanOut.Event read(ConsumerRecord<String, String> record) throws Exception {
    String workspace = header(record, CloudEvents.WORKSPACE);
    String id = header(record, CloudEvents.ID);
    String type = header(record, CloudEvents.TYPE);
    if (record.value() == null || workspace == null) return null;
    if (id == null || type == null) {
      JsonNode body = json.readTree(record.value());
      if (body == null || !body.hasNonNull("id") || !body.hasNonNull("type")) return null;
      id = body.get("id").asText();
      type = body.get("type").asText();
    }
    return new DeliveryFanOut.Event(workspace, id, type, record.value());
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
