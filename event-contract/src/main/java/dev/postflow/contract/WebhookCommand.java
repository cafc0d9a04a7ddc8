package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * posts-api asks webhook-service to act on one endpoint (topic {@link Topics#WEBHOOK_COMMANDS}):
 * {@code test} sends {@code event} (a webhook.test) once, whatever the endpoint's filter;
 * {@code replay_delivery} sends delivery {@code deliveryId} again;
 * {@code replay_since} sends again every event since {@code since} that the endpoint did not receive.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookCommand(String command, String workspaceId, String endpointId, String deliveryId, Instant since,
    LifecycleEvent event) {
  public static final String TEST = "test";
  public static final String REPLAY_DELIVERY = "replay_delivery";
  public static final String REPLAY_SINCE = "replay_since";
}
