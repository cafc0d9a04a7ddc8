package dev.postflow.posts.account;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Where a platform sends the user's browser after consent (no API key: the single-use state names the workspace).
 * Answers 303 to the caller's redirect_uri with {@code account_id} or {@code error}.
 */
@Path("/oauth/callback")
public class OAuthCallbackResource {
  @Inject OAuthConnect connect;

  @GET
  @Blocking
  public Response callback(@QueryParam("code") String code, @QueryParam("state") String state, @QueryParam("error") String error) {
    return Response.seeOther(connect.complete(code, state, error)).build();
  }
}
