package dev.postflow.posts.webhook;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import dev.postflow.posts.ListPage;
import dev.postflow.posts.idempotency.Idempotency;
import dev.postflow.posts.messaging.OutboxRelay;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/** Webhook endpoints are managed on the public API; webhook-service delivers to them and keeps the delivery log. */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookEndpointResource {
  @Inject Caller caller;
  @Inject WebhookEndpointService endpoints;
  @Inject WebhookDeliveryLog deliveries;
  @Inject Idempotency idempotency;
  @Inject OutboxRelay relay;

  public record CreateWebhook(String url, List<String> events, String description) {}

  /** PATCH body: only the fields present change. status: enabled | disabled. */
  public record UpdateWebhook(String url, List<String> events, String description, String status) {}

  public record ReplaySince(String since) {}

  /** {@code secret} is only present when it was just created or rotated. */
  public record WebhookView(String id, String url, List<String> events, String description, String status, String disabledReason,
      String secret, Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {}

  /** The answer to test and replay requests: webhook-service sends them within moments. */
  public record Accepted(String status, String eventId, String detail) {}

  @Operation(summary = "Register a webhook endpoint (the signing secret is shown once)")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"url": "https://hooks.example/postflow", "events": ["post.published", "post.failed", "account.reauth_required"],
       "description": "CMS status sync"}""")))
  @POST
  public Uni<Response> create(CreateWebhook body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    return endpoints.checkCreate(body).chain(events -> idempotency.once(workspaceId, idempotencyKey, "POST /v1/webhooks", body,
        () -> endpoints.create(workspaceId, body, events).map(view -> Response.status(201).entity(view).build())));
  }

  @GET
  public Uni<ListPage<WebhookView>> list() {
    return endpoints.list(caller.workspaceId()).map(ListPage::of);
  }

  @GET
  @Path("/{id}")
  public Uni<WebhookView> get(@PathParam("id") String id) {
    return endpoints.get(caller.workspaceId(), id);
  }

  @PATCH
  @Path("/{id}")
  public Uni<WebhookView> update(@PathParam("id") String id, UpdateWebhook body) {
    String workspaceId = caller.workspaceId();
    return endpoints.checkUpdate(body).chain(() -> endpoints.update(workspaceId, id, body));
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") String id) {
    return endpoints.delete(caller.workspaceId(), id).replaceWith(Response.noContent().build());
  }

  /** A new secret; the old one keeps signing beside it for 24 hours. */
  @POST
  @Path("/{id}/rotate-secret")
  public Uni<Response> rotateSecret(@PathParam("id") String id, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/webhooks/" + id + "/rotate-secret", null,
        () -> endpoints.rotateSecret(workspaceId, id).map(view -> Response.ok(view).build()));
  }

  /** Sends a webhook.test event to this endpoint, whatever its filter; not retried. */
  @POST
  @Path("/{id}/test")
  public Uni<Response> test(@PathParam("id") String id, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/webhooks/" + id + "/test", null,
        () -> endpoints.test(workspaceId, id).map(accepted -> Response.accepted(accepted).build())).invoke(relay::wake);
  }

  /** Every delivery attempt to this endpoint, newest first. */
  @GET
  @Path("/{id}/deliveries")
  public Uni<ListPage<WebhookDeliveryLog.AttemptView>> deliveries(@PathParam("id") String id, @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit, @QueryParam("event_id") String eventId, @QueryParam("success") Boolean success) {
    String workspaceId = caller.workspaceId();
    return endpoints.get(workspaceId, id).chain(endpoint -> deliveries.attempts(id, eventId, success, cursor, limit));
  }

  @POST
  @Path("/{id}/deliveries/{deliveryId}/replay")
  public Uni<Response> replayDelivery(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    return deliveries.eventOf(id, deliveryId).chain(eventId -> idempotency.once(workspaceId, idempotencyKey,
        "POST /v1/webhooks/" + id + "/deliveries/" + deliveryId + "/replay", null,
        () -> endpoints.replayDelivery(workspaceId, id, deliveryId, eventId).map(accepted -> Response.accepted(accepted).build())))
        .invoke(relay::wake);
  }

  /** Sends again every event since a time that this endpoint has not received (failed, or missed while disabled). */
  @POST
  @Path("/{id}/replay")
  public Uni<Response> replaySince(@PathParam("id") String id, ReplaySince body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    Instant since = WebhookEndpointService.parseSince(body);
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/webhooks/" + id + "/replay", body,
        () -> endpoints.replaySince(workspaceId, id, since).map(accepted -> Response.accepted(accepted).build())).invoke(relay::wake);
  }
}
