package dev.postflow.posts.webhook;

import dev.postflow.posts.ListPage;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/** Webhook endpoints are registered on the public API; webhook-service delivers to them. */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookEndpointResource {
  @Inject Caller caller;
  @Inject WebhookEndpointService endpoints;

  public record CreateWebhook(String url, List<String> events, String description) {}

  public record WebhookView(String id, String url, List<String> events, String description, String status, String secret,
      Instant createdAt, Instant updatedAt) {}

  @POST
  public Uni<Response> create(CreateWebhook body) {
    return endpoints.create(caller.workspaceId(), body).map(view -> Response.status(201).entity(view).build());
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

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") String id) {
    return endpoints.delete(caller.workspaceId(), id).replaceWith(Response.noContent().build());
  }
}
