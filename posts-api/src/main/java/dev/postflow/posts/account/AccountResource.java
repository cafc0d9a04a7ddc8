package dev.postflow.posts.account;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
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
import dev.postflow.posts.ListPage;
import dev.postflow.posts.idempotency.Idempotency;

@Path("/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {
  @Inject Caller caller;
  @Inject AccountService accounts;
  @Inject Idempotency idempotency;
  @Inject OAuthConnect oauth;

  @Operation(summary = "Connect an account with a token you hold (bring your own token)")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"platform": "mastodon", "external_id": "109302", "handle": "@acme@mastodon.social",
       "access_token": "…", "instance_url": "https://mastodon.social"}""")))
  @POST
  public Uni<Response> connect(ConnectAccountRequest body, @jakarta.ws.rs.HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    return accounts.checkServerUrls(body).chain(() -> idempotency.once(workspaceId, idempotencyKey, "POST /v1/accounts", body,
        () -> accounts.connect(workspaceId, body).map(connected -> Response.status(connected.created() ? 201 : 200).entity(connected.account()).build())));
  }

  /** instance_url: the user's Mastodon instance (Mastodon only); handle: the Bluesky account's handle or DID (Bluesky only). */
  public record ConnectRequest(String platform, String redirectUri, String instanceUrl, String handle) {}

  /** Starts an OAuth 2.0 authorization-code connect: send the user to authorization_url. */
  @Operation(summary = "Start an OAuth 2.0 connect (authorization code, PKCE): send the user to authorization_url")
  @RequestBody(content = @Content(mediaType = "application/json", examples = {
      @ExampleObject(name = "example", value = """
          {"platform": "sandbox", "redirect_uri": "https://app.example/accounts"}"""),
      @ExampleObject(name = "bluesky", value = """
          {"platform": "bluesky", "redirect_uri": "https://app.example/accounts", "handle": "alice.bsky.social"}""")}))
  @POST
  @Path("/connect")
  @io.smallrye.common.annotation.Blocking
  public OAuthConnect.Started startOAuth(ConnectRequest body) {
    if (body == null) throw dev.postflow.posts.problem.ProblemException.validation(java.util.List.of(
        dev.postflow.posts.problem.FieldError.of("platform", "required", "give platform and redirect_uri")));
    return oauth.start(caller.workspaceId(), body.platform(), body.redirectUri(), body.instanceUrl(), body.handle());
  }

  @GET
  public Uni<ListPage<AccountView>> list() {
    return accounts.list(caller.workspaceId()).map(ListPage::of);
  }

  @GET
  @Path("/{id}")
  public Uni<AccountView> get(@PathParam("id") String id) {
    return accounts.get(caller.workspaceId(), id);
  }

  @DELETE
  @Path("/{id}")
  public Uni<AccountView> disconnect(@PathParam("id") String id) {
    return accounts.disconnect(caller.workspaceId(), id);
  }

}
