package dev.postflow.posts.workspace;

import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkspaceResource {
  @Inject Caller caller;
  @Inject WorkspaceService workspaces;
  @Inject ApiKeyService apiKeys;

  public record CreateWorkspace(String name) {}

  public record WorkspaceCreated(String id, String name, String apiKey, Instant createdAt) {}

  public record CreateApiKey(String name) {}

  public record ApiKeyView(String id, String name, String prefix, String apiKey, Instant createdAt, Instant revokedAt) {}

  @POST
  @Path("/workspaces")
  public Uni<Response> createWorkspace(CreateWorkspace body) {
    caller.requireAdmin();
    if (body == null || body.name() == null || body.name().isBlank() || body.name().length() > 200) {
      throw ProblemException.validation(List.of(FieldError.of("name", "required", "a name of 1 to 200 characters is required")));
    }
    return workspaces.create(body.name().strip()).map(created -> Response.status(201)
        .entity(new WorkspaceCreated(created.workspace().id, created.workspace().name, created.apiKey(), created.workspace().createdAt))
        .build());
  }

  @POST
  @Path("/api-keys")
  public Uni<Response> createApiKey(CreateApiKey body) {
    String workspaceId = caller.workspaceId();
    return apiKeys.create(workspaceId, body == null ? null : body.name()).map(issued -> Response.status(201)
        .entity(new ApiKeyView(issued.key().id, issued.key().name, issued.key().keyPrefix, issued.secret(), issued.key().createdAt, null))
        .build());
  }

  @DELETE
  @Path("/api-keys/{id}")
  public Uni<ApiKeyView> revokeApiKey(@PathParam("id") String id) {
    return apiKeys.revoke(caller.workspaceId(), id)
        .map(key -> new ApiKeyView(key.id, key.name, key.keyPrefix, null, key.createdAt, key.revokedAt));
  }
}
