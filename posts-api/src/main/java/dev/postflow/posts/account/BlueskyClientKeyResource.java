package dev.postflow.posts.account;

import dev.postflow.posts.workspace.Caller;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** The operator's rotation of our Bluesky (atproto OAuth) client keys: admin key only. */
@Path("/v1/admin/bluesky/client-keys")
@Produces(MediaType.APPLICATION_JSON)
public class BlueskyClientKeyResource {
  @Inject Caller caller;
  @Inject BlueskyClientKeys keys;

  @GET
  @Blocking
  public Map<String, List<BlueskyClientKeys.KeyView>> list() {
    caller.requireAdmin();
    return Map.of("data", keys.list());
  }

  /** A new key signs new connects from now on; the older ones stay published for the sessions that began with them. */
  @POST
  @Blocking
  public Response rotate() {
    caller.requireAdmin();
    return Response.status(201).entity(keys.rotate()).build();
  }

  @DELETE
  @Path("/{kid}")
  @Blocking
  public Response retire(@PathParam("kid") String kid, @QueryParam("force") boolean force) {
    caller.requireAdmin();
    keys.retire(kid, force);
    return Response.noContent().build();
  }
}
