package dev.postflow.posts.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.webhook.WebhookEndpointResource.CreateWebhook;
import dev.postflow.posts.webhook.WebhookEndpointResource.WebhookView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@ApplicationScoped
public class WebhookEndpointService {
  static final Set<String> EVENT_TYPES = Set.of(LifecycleEvent.POST_SCHEDULED, LifecycleEvent.POST_PUBLISHING,
      LifecycleEvent.POST_PUBLISHED, LifecycleEvent.POST_PARTIAL, LifecycleEvent.POST_FAILED, LifecycleEvent.POST_CANCELLED,
      LifecycleEvent.TARGET_PUBLISHED, LifecycleEvent.TARGET_FAILED, LifecycleEvent.TARGET_UNCONFIRMED,
      LifecycleEvent.ACCOUNT_REAUTH_REQUIRED, LifecycleEvent.ACCOUNT_DISCONNECTED, "*");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "postflow.webhooks.allow-loopback")
  boolean allowLoopback;

  public Uni<WebhookView> create(String workspaceId, CreateWebhook request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null || request.url() == null || request.url().isBlank()) {
      errors.add(FieldError.of("url", "required", "url is required"));
    }
    List<String> events = request == null || request.events() == null ? List.of("*") : request.events();
    for (int i = 0; i < events.size(); i++) {
      if (!EVENT_TYPES.contains(events.get(i))) {
        errors.add(FieldError.of("events[" + i + "]", "unknown_event_type", "'" + events.get(i) + "' is not an event type"));
      }
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    // DNS resolution blocks: resolve on a worker, continue on this request's event loop (Hibernate Reactive needs it).
    return Vertx.currentContext().executeBlocking(Uni.createFrom().item(() -> WebhookUrlPolicy.whyUnsafe(request.url(), allowLoopback)))
        .chain(reason -> {
          if (reason != null) {
            throw new ProblemException(400, "unsafe_url", "Unsafe URL", reason,
                List.of(FieldError.of("url", "unsafe_url", reason)));
          }
          return save(workspaceId, request, events);
        });
  }

  @WithTransaction
  Uni<WebhookView> save(String workspaceId, CreateWebhook request, List<String> events) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(raw);
    WebhookEndpoint endpoint = new WebhookEndpoint();
    endpoint.id = Ids.newId("whe");
    endpoint.workspaceId = workspaceId;
    endpoint.url = request.url();
    endpoint.events = write(events);
    endpoint.description = request.description();
    endpoint.secret = cipher.encrypt(secret);
    endpoint.status = "enabled";
    endpoint.createdAt = Instant.now();
    endpoint.updatedAt = endpoint.createdAt;
    return endpoint.persist().map(saved -> view(endpoint, secret));
  }

  @WithSession
  public Uni<List<WebhookView>> list(String workspaceId) {
    return WebhookEndpoint.<WebhookEndpoint>list("workspaceId = ?1 order by id", workspaceId)
        .map(list -> list.stream().map(e -> view(e, null)).toList());
  }

  @WithSession
  public Uni<WebhookView> get(String workspaceId, String id) {
    return find(workspaceId, id).map(e -> view(e, null));
  }

  @WithTransaction
  public Uni<Void> delete(String workspaceId, String id) {
    return find(workspaceId, id).chain(e -> e.delete());
  }

  private Uni<WebhookEndpoint> find(String workspaceId, String id) {
    return WebhookEndpoint.<WebhookEndpoint>find("id = ?1 and workspaceId = ?2", id, workspaceId).firstResult().map(e -> {
      if (e == null) throw ProblemException.notFound("webhook endpoint " + id);
      return e;
    });
  }

  private WebhookView view(WebhookEndpoint endpoint, String secret) {
    try {
      return new WebhookView(endpoint.id, endpoint.url, json.readValue(endpoint.events, new TypeReference<List<String>>() {}),
          endpoint.description, endpoint.status, secret, endpoint.createdAt, endpoint.updatedAt);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
