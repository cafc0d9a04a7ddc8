package dev.postflow.webhooks.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.ReliableProducer;
import dev.postflow.contract.ShortWork;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Disables an endpoint that answered 410 or has failed for days, and tells the workspace: the endpoint's status
 * and reason change, and a webhook.endpoint_disabled event goes on the lifecycle stream (so to the other endpoints).
 * The event is acknowledged by Kafka before the change commits: at least once, never a silent disable.
 */
@ApplicationScoped
public class EndpointDisabler {
  @Inject ObjectMapper json;
  @Inject ShortWork shortWork;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  private ReliableProducer producer;

  void start(@Observes StartupEvent event) {
    producer = new ReliableProducer(bootstrapServers, "webhook-service-events");
  }

  void stop(@Observes ShutdownEvent event) {
    producer.close();
  }

  public void disable(String endpointId, String reason) {
    try {
      shortWork.run(connection -> {
        connection.setAutoCommit(false);
        DeliveryRepository.DisabledEndpoint endpoint = DeliveryRepository.disable(connection, endpointId, reason);
        if (endpoint == null) return null; // already disabled or deleted
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", endpointId);
        data.put("url", endpoint.url());
        data.put("events", json.readTree(endpoint.events()));
        data.put("description", endpoint.description());
        data.put("status", "disabled");
        data.put("disabled_reason", reason);
        producer.sendAll(List.of(ReliableProducer.Message.lifecycleEvent(json, "/postflow/webhook-service", LifecycleEvent.WEBHOOK_DISABLED,
            endpoint.workspaceId(), endpointId, data)));
        connection.commit();
        Log.infof("webhook endpoint %s disabled: %s", endpointId, reason);
        return null;
      });
    } catch (Exception e) {
      Log.warnf(e, "could not disable webhook endpoint %s now; the next failed delivery tries again", endpointId);
    }
  }
}
