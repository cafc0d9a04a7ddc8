package dev.postflow.posts.oauthapp;

import dev.postflow.posts.workspace.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** The workspace's own OAuth apps: new connects on a platform go through the workspace's app instead of ours. */
@Path("/v1/oauth-apps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OAuthAppResource {
  @Inject Caller caller;
  @Inject OAuthApps apps;

  @Operation(summary = "Bring your own app: set the client the workspace's new connects on a platform go through")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"client_id": "Zm9vYmFyLWNsaWVudA", "client_secret": "…", "consumer_key": "…", "consumer_secret": "…"}""")))
  @PUT
  @Path("/{platform}")
  public Uni<Response> put(@PathParam("platform") String platform, OAuthAppRequest request) {
    return apps.put(caller.workspaceId(), platform, request).map(saved -> Response.status(saved.created() ? 201 : 200).entity(saved.app()).build());
  }

  @GET
  public Uni<Map<String, List<OAuthAppView>>> list() {
    return apps.list(caller.workspaceId()).map(all -> Map.of("data", all));
  }

  @GET
  @Path("/{platform}/{id}")
  public Uni<OAuthAppView> get(@PathParam("platform") String platform, @PathParam("id") String id) {
    return apps.get(caller.workspaceId(), platform, id);
  }

  @DELETE
  @Path("/{platform}/{id}")
  public Uni<Response> delete(@PathParam("platform") String platform, @PathParam("id") String id, @QueryParam("force") boolean force) {
    return apps.delete(caller.workspaceId(), platform, id, force).map(done -> Response.noContent().build());
  }
}
