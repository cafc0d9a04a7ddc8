package dev.postflow.posts.connect;

import dev.postflow.posts.workspace.Caller;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Hosted connect links: a page where the workspace's own user connects accounts, without an API key. */
@Path("/v1/connect-links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectLinkResource {
  @Inject Caller caller;
  @Inject ConnectLinks links;

  @Operation(summary = "A short-lived link to a hosted page where your user connects accounts with OAuth; they return to redirect_uri with account_id")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"redirect_uri": "https://app.example/accounts", "platforms": ["linkedin", "mastodon"], "expires_in": 3600}""")))
  @POST
  @Blocking
  public Response create(ConnectLinks.LinkRequest body) {
    return Response.status(201).entity(links.create(caller.workspaceId(), body)).build();
  }
}
