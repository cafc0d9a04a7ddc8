package dev.postflow.posts.sandbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sandbox platform's OAuth 2.0 server (authorization code with PKCE S256, RFC 6749 / 7636), so the whole connect
 * flow can be tried and tested without a real platform. It approves at once (no consent screen), issues one-minute
 * single-use codes, 2-hour access tokens and rotating single-use refresh tokens, and answers RFC 6749 errors.
 *
 * <pre>
 * GET  /sandbox/oauth/authorize?response_type=code&amp;client_id&amp;redirect_uri&amp;state&amp;code_challenge&amp;code_challenge_method=S256[&amp;login_hint]
 *        302 redirect_uri?code=…&amp;state=…
 * POST /sandbox/oauth/token   (form) grant_type=authorization_code&amp;code&amp;redirect_uri&amp;client_id&amp;client_secret&amp;code_verifier
 *                                    | grant_type=refresh_token&amp;refresh_token&amp;client_id&amp;client_secret
 *        200 {access_token, token_type, expires_in, refresh_token, scope}  |  400 {error, error_description}
 * GET  /sandbox/oauth/userinfo   Authorization: Bearer …   200 {id, handle}
 * </pre>
 */
@Path("/sandbox/oauth")
public class SandboxOAuthResource {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Pool pool;

  @ConfigProperty(name = "postflow.oauth.sandbox.client-id")
  String clientId;

  @ConfigProperty(name = "postflow.oauth.sandbox.client-secret")
  String clientSecret;

  @GET
  @Path("/authorize")
  public Uni<Response> authorize(@QueryParam("response_type") String responseType, @QueryParam("client_id") String client,
      @QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
      @QueryParam("code_challenge") String challenge, @QueryParam("code_challenge_method") String method,
      @QueryParam("login_hint") String loginHint) {
    if (redirectUri == null || !redirectUri.matches("https?://.+")) {
      return Uni.createFrom().item(Response.status(400).type(MediaType.TEXT_PLAIN).entity("invalid redirect_uri").build());
    }
    if (!"code".equals(responseType) || !clientId.equals(client) || challenge == null || !"S256".equals(method)) {
      String error = !clientId.equals(client) ? "unauthorized_client" : "invalid_request";
      return Uni.createFrom().item(Response.seeOther(UriBuilder.fromUri(redirectUri).queryParam("error", error).queryParam("state", state).build()).build());
    }
    String code = random();
    String user = "sbx_" + (loginHint != null && loginHint.matches("[A-Za-z0-9_]{1,40}") ? loginHint : random().substring(0, 10));
    return pool.preparedQuery("insert into posts.sandbox_oauth_code (code, client_id, redirect_uri, code_challenge, user_id, expires_at)"
            + " values ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(code, client, redirectUri, challenge, user, Instant.now().plusSeconds(60).atOffset(ZoneOffset.UTC)))
        .map(ignored -> Response.seeOther(UriBuilder.fromUri(redirectUri).queryParam("code", code).queryParam("state", state).build()).build());
  }

  @POST
  @Path("/token")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> token(@FormParam("grant_type") String grant, @FormParam("code") String code,
      @FormParam("redirect_uri") String redirectUri, @FormParam("client_id") String client, @FormParam("client_secret") String secret,
      @FormParam("code_verifier") String verifier, @FormParam("refresh_token") String refreshToken) {
    if (!clientId.equals(client) || !clientSecret.equals(secret)) return Uni.createFrom().item(error(401, "invalid_client", "unknown client"));
    if ("authorization_code".equals(grant)) {
      return pool.preparedQuery("update posts.sandbox_oauth_code set used = true where code = $1 and not used returning client_id, redirect_uri,"
              + " code_challenge, user_id, expires_at")
          .execute(Tuple.of(code == null ? "" : code))
          .map(rows -> {
            if (!rows.iterator().hasNext()) return null;
            return rows.iterator().next();
          })
          .chain(row -> {
            if (row == null) return Uni.createFrom().item(error(400, "invalid_grant", "the code is unknown or was used already"));
            if (row.getOffsetDateTime("expires_at").toInstant().isBefore(Instant.now())) {
              return Uni.createFrom().item(error(400, "invalid_grant", "the code expired"));
            }
            if (!row.getString("redirect_uri").equals(redirectUri)) {
              return Uni.createFrom().item(error(400, "invalid_grant", "redirect_uri does not match the authorization request"));
            }
            if (verifier == null || !s256(verifier).equals(row.getString("code_challenge"))) {
              return Uni.createFrom().item(error(400, "invalid_grant", "code_verifier does not match the code_challenge (PKCE)"));
            }
            return issue(row.getString("user_id"));
          });
    }
    if ("refresh_token".equals(grant)) {
      return pool.preparedQuery("update posts.sandbox_oauth_refresh set used = true where token = $1 and not used returning user_id")
          .execute(Tuple.of(refreshToken == null ? "" : refreshToken))
          .chain(rows -> {
            if (!rows.iterator().hasNext()) return Uni.createFrom().item(error(400, "invalid_grant", "the refresh token is unknown or was used already"));
            Row row = rows.iterator().next();
            return issue(row.getString("user_id"));
          });
    }
    return Uni.createFrom().item(error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"));
  }

  @GET
  @Path("/userinfo")
  @Produces(MediaType.APPLICATION_JSON)
  public Response userinfo(@HeaderParam("Authorization") String authorization) {
    // Access tokens name their user: sbx_at.<user>.<random>
    if (authorization == null || !authorization.startsWith("Bearer sbx_at.")) return error(401, "invalid_token", "send a sandbox access token");
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length != 3) return error(401, "invalid_token", "malformed token");
    return Response.ok(Map.of("id", parts[1], "handle", "@" + parts[1])).build();
  }

  private Uni<Response> issue(String user) {
    String access = "sbx_at." + user + "." + random();
    String refresh = "sbx_rt." + random();
    return pool.preparedQuery("insert into posts.sandbox_oauth_refresh (token, user_id) values ($1, $2)").execute(Tuple.of(refresh, user))
        .map(ignored -> Response.ok(Map.of("access_token", access, "token_type", "bearer", "expires_in", 7200, "refresh_token", refresh,
            "scope", "posts.write offline")).type(MediaType.APPLICATION_JSON).build());
  }

  private static Response error(int status, String error, String description) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", error, "error_description", description)).build();
  }

  static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
