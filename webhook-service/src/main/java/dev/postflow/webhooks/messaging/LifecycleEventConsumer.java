package dev.postflow.webhooks.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.CloudEvents;
import dev.postflow.webhooks.delivery.DeliveryFanOut;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads the public lifecycle stream and stores a delivery per subscribed endpoint before the offset is committed. */
@ApplicationScoped
public class LifecycleEventConsumer {
  @Inject DeliveryFanOut fanOut;
  @Inject ObjectMapper json;

  @Incoming("lifecycle-events")
  @Blocking
  public void onEvent(ConsumerRecord<String, String> record) throws Exception {
    Header workspace = record.headers().lastHeader(CloudEvents.WORKSPACE);
    JsonNode event = record.value() == null ? null : json.readTree(record.value());
    if (workspace == null || event == null || !event.hasNonNull("id") || !event.hasNonNull("type")) {
      Log.warnf("a lifecycle event without workspace, id or type was skipped (offset %d)", record.offset());
      return;
    }
    int created = fanOut.fanOut(new String(workspace.value(), StandardCharsets.UTF_8), event.get("id").asText(),
        event.get("type").asText(), record.value());
    Log.debugf("event %s %s: %d deliveries", event.get("type").asText(), event.get("id").asText(), created);
  }
}
