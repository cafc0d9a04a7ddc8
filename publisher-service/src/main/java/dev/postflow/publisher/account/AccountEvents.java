package dev.postflow.publisher.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.ReliableProducer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The account events publisher-service emits on the lifecycle topic (account.reauth_required,
 * account.token_expiring), keyed by the account. Sent and acknowledged before the transaction that made the change
 * commits: a crash in between sends one again, never none.
 */
@ApplicationScoped
public class AccountEvents {
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  private ReliableProducer producer;

  void start(@Observes StartupEvent event) {
    producer = new ReliableProducer(bootstrapServers, "publisher-service-events");
  }

  void stop(@Observes ShutdownEvent event) {
    if (producer != null) producer.close();
  }

  /** {@code data}: the account as the event shows it ({id, platform, external_id, status, …}). */
  public void emit(String type, String workspaceId, String accountId, Map<String, Object> data) throws Exception {
    producer.sendAll(List.of(ReliableProducer.Message.lifecycleEvent(json, "/postflow/publisher-service", type, workspaceId, accountId, data)));
  }
}
