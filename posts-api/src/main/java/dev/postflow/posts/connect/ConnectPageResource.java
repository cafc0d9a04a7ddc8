package dev.postflow.posts.connect;

import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * The pages a connect link opens in the user's browser (no API key: the link is the credential). HTML, not problem
 * documents: a person reads them. Never framed, never sent as a Referer (the link is in the path).
 */
@Path("/connect/{token}")
public class ConnectPageResource {
  @Inject ConnectLinks links;

  @GET
  @Blocking
  public Response page(@PathParam("token") String token) {
    try {
      ConnectLinks.Claims claims = links.open(token);
      return html(200, ConnectPage.of(links.workspaceName(claims.workspaceId()), claims.platforms(), links.startUrl(token),
          Instant.ofEpochSecond(claims.expires())));
    } catch (ProblemException refused) {
      return errorPage(refused);
    }
  }

  /** The chosen platform: 303 to its authorization URL; a refusal (an instance that is no Mastodon server, …) as a page. */
  @GET
  @Path("/start")
  @Blocking
  public Response start(@PathParam("token") String token, @QueryParam("platform") String platform,
      @QueryParam("instance_url") String instanceUrl, @QueryParam("handle") String handle) {
    try {
      return headers(Response.seeOther(URI.create(links.start(links.open(token), platform, instanceUrl, handle)))).build();
    } catch (ProblemException refused) {
      return errorPage(refused);
    }
  }

  private static Response errorPage(ProblemException refused) {
    dev.postflow.posts.problem.Problem problem = refused.toProblem();
    String detail = problem.errors() == null || problem.errors().isEmpty() ? problem.detail()
        : problem.errors().stream().map(FieldError::message).collect(Collectors.joining("; "));
    return html(problem.status(), ConnectPage.error(problem.title(), detail));
  }

  private static Response html(int status, String page) {
    return headers(Response.status(status).type("text/html; charset=utf-8").entity(page)).build();
  }

  private static Response.ResponseBuilder headers(Response.ResponseBuilder response) {
    return response.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY").header("Cache-Control", "no-store");
  }
}
