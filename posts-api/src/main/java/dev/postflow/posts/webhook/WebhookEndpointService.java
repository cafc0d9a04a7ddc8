package dev.postflow.posts.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.WebhookCommand;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.posts.messaging.Outbox;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.webhook.WebhookEndpointResource.Accepted;
import dev.postflow.posts.webhook.WebhookEndpointResource.CreateWebhook;
import dev.postflow.posts.webhook.WebhookEndpointResource.ReplaySince;
import dev.postflow.posts.webhook.WebhookEndpointResource.UpdateWebhook;
import dev.postflow.posts.webhook.WebhookEndpointResource.WebhookView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Webhook endpoints of a workspace: registration (with the SSRF check), changes, secret rotation, test and replay. */
@ApplicationScoped
public class WebhookEndpointService {
  static final Set<String> EVENT_TYPES = Set.of(LifecycleEvent.POST_SCHEDULED, LifecycleEvent.POST_PUBLISHING,
      LifecycleEvent.POST_PUBLISHED, LifecycleEvent.POST_PARTIAL, LifecycleEvent.POST_FAILED, LifecycleEvent.POST_CANCELLED,
      LifecycleEvent.TARGET_PUBLISHED, LifecycleEvent.TARGET_FAILED, LifecycleEvent.TARGET_UNCONFIRMED,
      LifecycleEvent.POST_UNPUBLISHING, LifecycleEvent.POST_UNPUBLISHED, LifecycleEvent.TARGET_UNPUBLISHED,
      LifecycleEvent.TARGET_UNPUBLISH_FAILED, LifecycleEvent.ACCOUNT_REAUTH_REQUIRED, LifecycleEvent.ACCOUNT_DISCONNECTED,
      LifecycleEvent.ACCOUNT_TOKEN_EXPIRING, LifecycleEvent.WEBHOOK_DISABLED, LifecycleEvent.POST_APPROVAL_REQUESTED,
      LifecycleEvent.POST_APPROVED, LifecycleEvent.POST_REJECTED, LifecycleEvent.POST_EDITING, LifecycleEvent.POST_EDITED,
      LifecycleEvent.TARGET_EDITED, LifecycleEvent.TARGET_EDIT_FAILED, "*");
  static final Duration OLD_SECRET_OVERLAP = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject AddressPolicy addressPolicy;
  @Inject Outbox outbox;

  /** Checks a registration; the URL's host is resolved off the event loop. Answers the event filter to store. */
  public Uni<List<String>> checkCreate(CreateWebhook request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null || request.url() == null || request.url().isBlank()) {
      errors.add(FieldError.of("url", "required", "url is required"));
    }
    List<String> events = request == null || request.events() == null ? List.of("*") : request.events();
    checkEvents(events, errors);
    checkDescription(request == null ? null : request.description(), errors);
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    return checkUrl(request.url()).replaceWith(events);
  }

  public Uni<Void> checkUpdate(UpdateWebhook request) {
    if (request == null) throw ProblemException.validation(List.of(FieldError.of("", "required", "a JSON object is required")));
    List<FieldError> errors = new ArrayList<>();
    if (request.url() != null && request.url().isBlank()) errors.add(FieldError.of("url", "required", "url cannot be empty"));
    if (request.events() != null) checkEvents(request.events(), errors);
    checkDescription(request.description(), errors);
    if (request.status() != null && !Set.of("enabled", "disabled").contains(request.status())) {
      errors.add(FieldError.of("status", "invalid_value", "status is enabled or disabled"));
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    return request.url() == null ? Uni.createFrom().voidItem() : checkUrl(request.url());
  }

  private static void checkEvents(List<String> events, List<FieldError> errors) {
    if (events.isEmpty()) errors.add(FieldError.of("events", "required", "name at least one event type, or \"*\""));
    for (int i = 0; i < events.size(); i++) {
      if (!EVENT_TYPES.contains(events.get(i))) {
        errors.add(FieldError.of("events[" + i + "]", "unknown_event_type", "'" + events.get(i) + "' is not an event type"));
      }
    }
  }

  private static void checkDescription(String description, List<FieldError> errors) {
    if (description != null && description.length() > 500) {
      errors.add(FieldError.of("description", "too_long", "description is at most 500 characters"));
    }
  }

  /** DNS resolution blocks: resolve on a worker, continue on this request's event loop (Hibernate Reactive needs it). */
  private Uni<Void> checkUrl(String url) {
    if (url.length() > 2048) {
      throw ProblemException.validation(List.of(FieldError.of("url", "too_long", "url is at most 2048 characters")));
    }
    return Vertx.currentContext().executeBlocking(Uni.createFrom().item(() -> addressPolicy.whyUnsafe(url))).map(reason -> {
      if (reason != null) {
        throw new ProblemException(400, "unsafe_url", "Unsafe URL", reason, List.of(FieldError.of("url", "unsafe_url", reason)));
      }
      return null;
    });
  }

  @WithTransaction
  public Uni<WebhookView> create(String workspaceId, CreateWebhook request, List<String> events) {
    String secret = newSecret();
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
    endpoint.enabledAt = endpoint.createdAt;
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
  public Uni<WebhookView> update(String workspaceId, String id, UpdateWebhook request) {
    return find(workspaceId, id).map(endpoint -> {
      if (request.url() != null) endpoint.url = request.url();
      if (request.events() != null) endpoint.events = write(request.events());
      if (request.description() != null) endpoint.description = request.description();
      if ("enabled".equals(request.status()) && !"enabled".equals(endpoint.status)) {
        endpoint.status = "enabled";
        endpoint.disabledReason = null;
        endpoint.enabledAt = Instant.now();
      } else if ("disabled".equals(request.status()) && !"disabled".equals(endpoint.status)) {
        endpoint.status = "disabled";
        endpoint.disabledReason = "disabled through the API";
      }
      endpoint.updatedAt = Instant.now();
      return view(endpoint, null);
    });
  }

  @WithTransaction
  public Uni<Void> delete(String workspaceId, String id) {
    return find(workspaceId, id).chain(e -> e.delete());
  }

  @WithTransaction
  public Uni<WebhookView> rotateSecret(String workspaceId, String id) {
    return find(workspaceId, id).map(endpoint -> {
      String secret = newSecret();
      endpoint.previousSecret = endpoint.secret;
      endpoint.previousSecretExpiresAt = Instant.now().plus(OLD_SECRET_OVERLAP).truncatedTo(ChronoUnit.SECONDS);
      endpoint.secret = cipher.encrypt(secret);
      endpoint.updatedAt = Instant.now();
      return view(endpoint, secret);
    });
  }

  @WithTransaction
  public Uni<Accepted> test(String workspaceId, String id) {
    return findEnabled(workspaceId, id).chain(endpoint -> {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      LifecycleEvent event = new LifecycleEvent(LifecycleEvent.WEBHOOK_TEST, Ids.newId("evt"), now,
          json.valueToTree(Map.of("endpoint_id", id, "message", "a test event sent through the API")), workspaceId);
      return outbox.webhookCommand(new WebhookCommand(WebhookCommand.TEST, workspaceId, id, null, null, event))
          .replaceWith(new Accepted("queued", event.id(), "webhook.test is sent once, without retries; see GET /v1/webhooks/" + id + "/deliveries"));
    });
  }

  @WithTransaction
  public Uni<Accepted> replayDelivery(String workspaceId, String id, String deliveryId, String eventId) {
    return findEnabled(workspaceId, id).chain(endpoint -> outbox.webhookCommand(
            new WebhookCommand(WebhookCommand.REPLAY_DELIVERY, workspaceId, id, deliveryId, null, null))
        .replaceWith(new Accepted("queued", eventId, "the delivery is sent again with the same webhook-id")));
  }

  @WithTransaction
  public Uni<Accepted> replaySince(String workspaceId, String id, Instant since) {
    return findEnabled(workspaceId, id).chain(endpoint -> outbox.webhookCommand(
            new WebhookCommand(WebhookCommand.REPLAY_SINCE, workspaceId, id, null, since, null))
        .replaceWith(new Accepted("queued", null, "every event since " + since + " that this endpoint has not received is sent again")));
  }

  static Instant parseSince(ReplaySince body) {
    if (body == null || body.since() == null) {
      throw ProblemException.validation(List.of(FieldError.of("since", "required", "since is required (RFC 3339 time with offset)")));
    }
    try {
      Instant since = OffsetDateTime.parse(body.since()).toInstant();
      if (since.isAfter(Instant.now())) {
        throw ProblemException.validation(List.of(FieldError.of("since", "in_future", "since must be in the past")));
      }
      return since;
    } catch (DateTimeParseException e) {
      throw ProblemException.validation(List.of(FieldError.of("since", "invalid_time",
          "since must be an RFC 3339 time with an offset, e.g. 2026-06-01T09:00:00Z")));
    }
  }

  private Uni<WebhookEndpoint> find(String workspaceId, String id) {
    return WebhookEndpoint.<WebhookEndpoint>find("id = ?1 and workspaceId = ?2", id, workspaceId).firstResult().map(e -> {
      if (e == null) throw ProblemException.notFound("webhook endpoint " + id);
      return e;
    });
  }

  private Uni<WebhookEndpoint> findEnabled(String workspaceId, String id) {
    return find(workspaceId, id).map(e -> {
      if (!"enabled".equals(e.status)) {
        throw new ProblemException(409, "endpoint_disabled", "Endpoint disabled",
            "the endpoint is disabled (" + e.disabledReason + "); enable it first with PATCH {\"status\": \"enabled\"}");
      }
      return e;
    });
  }

  private static String newSecret() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "whsec_" + Base64.getEncoder().encodeToString(raw);
  }

  private WebhookView view(WebhookEndpoint endpoint, String secret) {
    try {
      Instant previousExpires = endpoint.previousSecretExpiresAt != null && endpoint.previousSecretExpiresAt.isAfter(Instant.now())
          ? endpoint.previousSecretExpiresAt : null;
      return new WebhookView(endpoint.id, endpoint.url, json.readValue(endpoint.events, new TypeReference<List<String>>() {}),
          endpoint.description, endpoint.status, endpoint.disabledReason, secret, previousExpires, endpoint.createdAt, endpoint.updatedAt);
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
