package dev.postflow.webhooks.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.ShortWork;
import dev.postflow.contract.WebhookCommand;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;

/** Test events and replays asked for through the public API (posts-api sends them as commands). */
@ApplicationScoped
public class DeliveryCommands {
  @Inject WebhookSenders senders;
  @Inject ObjectMapper json;
  @Inject ShortWork shortWork;

  public void run(WebhookCommand command) throws SQLException {
    int queued = shortWork.run(connection -> queue(connection, command));
    Log.debugf("webhook command %s for %s: %d deliveries queued", command.command(), command.endpointId(), queued);
    if (queued > 0) senders.wake();
  }

  /** Stores the command's deliveries; returns how many were queued. */
  private int queue(Connection connection, WebhookCommand command) throws SQLException {
    int queued = 0;
    connection.setAutoCommit(false);
    DeliveryRepository.Endpoint endpoint = DeliveryRepository.endpoint(connection, command.workspaceId(), command.endpointId());
    if (endpoint == null) {
      Log.infof("webhook command %s for endpoint %s skipped: the endpoint is gone or disabled", command.command(), command.endpointId());
      return 0;
    }
    switch (command.command()) {
      case WebhookCommand.TEST -> {
        // Sent once whatever the endpoint's filter, and not retried.
        DeliveryRepository.insertEvent(connection, command.event().id(), command.workspaceId(), command.event().type(),
            eventJson(command));
        queued += DeliveryRepository.insertDelivery(connection, endpoint.id(), command.event().id(), false) ? 1 : 0;
      }
      case WebhookCommand.REPLAY_DELIVERY -> {
        String eventId = DeliveryRepository.eventOf(connection, endpoint.id(), command.deliveryId());
        if (eventId != null) queued += DeliveryRepository.replay(connection, endpoint.id(), eventId, false);
      }
      case WebhookCommand.REPLAY_SINCE -> {
        // Every subscribed event since then that the endpoint has not received: failed ones, and ones it missed while disabled.
        for (DeliveryRepository.StoredEvent event : DeliveryRepository.eventsSince(connection, command.workspaceId(), command.since())) {
          if (!DeliveryFanOut.subscribed(endpoint.events(), event.type())) continue;
          queued += DeliveryRepository.insertDelivery(connection, endpoint.id(), event.id(), true)
              ? 1 : DeliveryRepository.replay(connection, endpoint.id(), event.id(), true);
        }
      }
      default -> Log.warnf("unknown webhook command %s skipped", command.command());
    }
    connection.commit();
    return queued;
  }

  private String eventJson(WebhookCommand command) {
    try {
      return json.writeValueAsString(command.event());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the test event cannot be written as JSON", e);
    }
  }
}
