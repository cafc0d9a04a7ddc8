package dev.postflow.posts.account;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** What platforms' servers and the user's browser reach without an API key. */
@Path("/oauth")
public class OAuthCallbackResource {
  @Inject OAuthConnect connect;
  @Inject BlueskyOAuth bluesky;

  /**
   * Where a platform sends the user's browser after consent (the single-use state names the workspace). Answers 303
   * to the caller's redirect_uri with {@code account_id} or {@code error}. {@code iss}: the authorization server that
   * answers (atproto names itself).
   */
  @GET
  @Path("/callback")
  @Blocking
  public Response callback(@QueryParam("code") String code, @QueryParam("state") String state, @QueryParam("error") String error,
      @QueryParam("iss") String iss) {
    return Response.seeOther(connect.complete(code, state, error, iss)).build();
  }

  /** Our atproto OAuth client metadata: Bluesky's authorization servers fetch it, since our client_id is its URL. */
  @GET
  @Path("/bluesky/client-metadata.json")
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  public Map<String, Object> blueskyClientMetadata() {
    return bluesky.clientMetadata();
  }
}
