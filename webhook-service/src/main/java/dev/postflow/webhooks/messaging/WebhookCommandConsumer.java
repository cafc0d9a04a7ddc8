package dev.postflow.webhooks.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.WebhookCommand;
import dev.postflow.webhooks.delivery.DeliveryCommands;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Test events and replays asked for through the public API. */
@ApplicationScoped
public class WebhookCommandConsumer {
  @Inject DeliveryCommands commands;
  @Inject ObjectMapper json;

  @Incoming("webhook-commands")
  @Blocking
  public void onCommand(String payload) throws Exception {
    commands.run(json.readValue(payload, WebhookCommand.class));
  }
}
