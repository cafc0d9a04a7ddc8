package dev.postflow.posts.workspace;

import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import dev.postflow.posts.idempotency.Idempotency;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
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
  @Inject Idempotency idempotency;

  /** Idempotency keys sent with the admin key are scoped here (no workspace id starts with "admin"). */
  private static final String ADMIN_SCOPE = "admin";

  public record CreateWorkspace(String name) {}

  public record WorkspaceCreated(String id, String name, String apiKey, Instant createdAt) {}

  /** requires_approval: everything the key creates or reschedules waits for approval by a key without it. */
  public record CreateApiKey(String name, Boolean requiresApproval) {}

  public record ApiKeyView(String id, String name, String prefix, String apiKey, boolean requiresApproval, Instant createdAt, Instant revokedAt) {}

  @POST
  @Path("/workspaces")
  public Uni<Response> createWorkspace(CreateWorkspace body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    caller.requireAdmin();
    if (body == null || body.name() == null || body.name().isBlank() || body.name().length() > 200) {
      throw ProblemException.validation(List.of(FieldError.of("name", "required", "a name of 1 to 200 characters is required")));
    }
    // The operator's keys live beside the workspaces' (the answer, with its API key, is stored encrypted).
    return idempotency.once(ADMIN_SCOPE, idempotencyKey, "POST /v1/workspaces", body, () -> workspaces.create(body.name().strip())
        .map(created -> Response.status(201)
            .entity(new WorkspaceCreated(created.workspace().id, created.workspace().name, created.apiKey(), created.workspace().createdAt))
            .build()));
  }

  @POST
  @Path("/api-keys")
  public Uni<Response> createApiKey(CreateApiKey body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    caller.requireFullKey("make API keys");
    boolean requiresApproval = body != null && Boolean.TRUE.equals(body.requiresApproval());
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/api-keys", body, () -> apiKeys.create(workspaceId, body == null ? null : body.name(),
            requiresApproval)
        .map(issued -> Response.status(201)
            .entity(new ApiKeyView(issued.key().id, issued.key().name, issued.key().keyPrefix, issued.secret(), issued.key().requiresApproval,
                issued.key().createdAt, null))
            .build()));
  }

  /** The workspace's keys: name, prefix, whether it only submits for approval, when made and revoked; never the secret. */
  @jakarta.ws.rs.GET
  @Path("/api-keys")
  public Uni<dev.postflow.posts.ListPage<ApiKeyView>> listApiKeys() {
    return apiKeys.list(caller.workspaceId()).map(keys -> dev.postflow.posts.ListPage.of(keys.stream()
        .map(key -> new ApiKeyView(key.id, key.name, key.keyPrefix, null, key.requiresApproval, key.createdAt, key.revokedAt)).toList()));
  }

  @DELETE
  @Path("/api-keys/{id}")
  public Uni<ApiKeyView> revokeApiKey(@PathParam("id") String id) {
    caller.requireFullKey("revoke API keys");
    return apiKeys.revoke(caller.workspaceId(), id)
        .map(key -> new ApiKeyView(key.id, key.name, key.keyPrefix, null, key.requiresApproval, key.createdAt, key.revokedAt));
  }
}
