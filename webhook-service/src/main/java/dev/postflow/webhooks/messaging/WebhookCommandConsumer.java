package dev.postflow.webhooks.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.StorageRetry;
import dev.postflow.contract.WebhookCommand;
import dev.postflow.webhooks.delivery.DeliveryCommands;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Test events and replays asked for through the public API. An unreadable command goes to the dead-letter topic; one
 * the database did not take is retried until it is back ({@link StorageRetry}).
 */
@ApplicationScoped
public class WebhookCommandConsumer {
  @Inject DeliveryCommands commands;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "postflow.consumers.max-backoff")
  Duration maxBackoff;

  @Incoming("webhook-commands")
  @Blocking
  public void onCommand(String payload) throws Exception {
    WebhookCommand command = json.readValue(payload, WebhookCommand.class);
    StorageRetry.run("webhook command " + command.command(), maxBackoff, () -> commands.run(command));
  }
}
