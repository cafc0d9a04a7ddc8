package dev.postflow.posts.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.atproto.AtprotoOAuth;
import dev.postflow.contract.crypto.Es256Key;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.Forms;
import dev.postflow.posts.config.OutboundServers;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bluesky's atproto OAuth (atproto.com/specs/oauth), as a confidential client that needs no registration: our
 * {@code client_id} is the URL of our client metadata document ({@link #clientMetadata}), which publishes the public
 * half of our client key (made on first use, {@code posts.atproto_client_key}).
 *
 * <p>{@link #start}: the handle (or DID) is resolved to its DID document, which must claim the handle back and names
 * the account's PDS; the PDS names its authorization server, whose metadata gives the PAR, authorization and token
 * endpoints. A new DPoP key is made for the session; the authorization request (PKCE S256, state, scope, login_hint,
 * our client assertion) is pushed (PAR) with a DPoP proof, and the browser is sent to the authorization endpoint with
 * only the request_uri. {@link #complete}: the callback's {@code iss} must be that server; the code is exchanged with
 * the verifier, a DPoP proof and a client assertion; the answer's {@code sub} must be the DID resolved at the start and
 * its scope must include atproto. The account keeps the session's DPoP key (encrypted), which the publisher signs
 * its requests and refreshes with.
 */
@ApplicationScoped
public class BlueskyOAuth {

  @Inject Pool pool;
  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject AddressPolicy addressPolicy;
  @Inject AccountService accounts;

  /** Where handles are resolved (com.atproto.identity.resolveHandle) and did:plc documents are read. */
  @ConfigProperty(name = "postflow.oauth.bluesky.handle-resolver", defaultValue = "https://public.api.bsky.app")
  String handleResolver;

  @ConfigProperty(name = "postflow.oauth.bluesky.plc-directory", defaultValue = "https://plc.directory")
  String plcDirectory;

  @ConfigProperty(name = "postflow.oauth.bluesky.client-name", defaultValue = "Postflow")
  String clientName;

  @ConfigProperty(name = "postflow.public-base-url")
  String publicBaseUrl;

  @Inject OutboundServers outbound;
  @Inject BlueskyClientKeys clientKeys;

  /**
   * Who the account is and who authorizes it, as resolved at the start (the server's endpoints from its metadata, read
   * once); the DID, handle, PDS, issuer and token endpoint are kept with the state.
   */
  record Resolved(String did, String handle, String pds, String issuer, String parEndpoint, String authorizationEndpoint, String tokenEndpoint) {}

  public String clientId() {
    return AccountService.stripSlash(publicBaseUrl) + "/oauth/bluesky/client-metadata.json";
  }

  private String callbackUrl() {
    return OAuthConnect.callbackUrl(publicBaseUrl);
  }

  /** Our client metadata document (served at {@link #clientId()}). */
  public Map<String, Object> clientMetadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("client_id", clientId());
    metadata.put("client_name", clientName);
    metadata.put("client_uri", AccountService.stripSlash(publicBaseUrl));
    metadata.put("application_type", "web");
    metadata.put("grant_types", List.of("authorization_code", "refresh_token"));
    metadata.put("response_types", List.of("code"));
    metadata.put("scope", AtprotoOAuth.SCOPE);
    metadata.put("redirect_uris", List.of(callbackUrl()));
    metadata.put("token_endpoint_auth_method", "private_key_jwt");
    metadata.put("token_endpoint_auth_signing_alg", "ES256");
    metadata.put("dpop_bound_access_tokens", true);
    metadata.put("jwks", Map.of("keys", clientKeys.all().stream().map(Es256Key::publicJwk).toList()));
    return metadata;
  }

  /** Resolves the account, pushes the authorization request, stores the state; answers the authorization URL. */
  public OAuthConnect.Started start(String workspaceId, String identifier, String redirectUri) {
    if (identifier == null || identifier.isBlank()) {
      throw invalid("handle", "required", "a Bluesky connect names the account: its handle (alice.bsky.social) or DID");
    }
    String login = identifier.trim().replaceFirst("^@", "");
    Resolved resolved = resolve(login);
    Es256Key dpop = Es256Key.generate(null);
    String state = OAuthConnect.random();
    String verifier = OAuthConnect.random() + OAuthConnect.random();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("response_type", "code");
    form.put("code_challenge", OAuthConnect.s256(verifier));
    form.put("code_challenge_method", "S256");
    form.put("state", state);
    form.put("redirect_uri", callbackUrl());
    form.put("scope", AtprotoOAuth.SCOPE);
    form.put("login_hint", login);
    Es256Key clientKey = clientKeys.active();
    AtprotoOAuth.authenticate(form, clientKey, clientId(), resolved.issuer());
    AtprotoOAuth.Answer pushed = call(() -> AtprotoOAuth.post(outbound.userNamed(), safe(resolved.parEndpoint(), "handle"), form, dpop));
    if (pushed.status() / 100 != 2 || !pushed.body().hasNonNull("request_uri")) {
      Log.warnf("atproto PAR at %s refused: %d %s", resolved.issuer(), pushed.status(), pushed.body());
      throw new ProblemException(502, "authorization_server_refused", "Bluesky's authorization server refused the request",
          resolved.issuer() + " answered " + pushed.status() + " " + pushed.error() + " " + pushed.body().path("error_description").asText(""));
    }
    Map<String, String> found = new LinkedHashMap<>();
    found.put("did", resolved.did());
    found.put("handle", resolved.handle());
    found.put("pds", resolved.pds());
    found.put("issuer", resolved.issuer());
    found.put("token_endpoint", resolved.tokenEndpoint());
    found.put("client_kid", clientKey.kid()); // the code exchange signs with the key the request was pushed with
    String atproto = write(found);
    OAuthConnect.await(pool.preparedQuery("insert into posts.oauth_state (state, workspace_id, platform, redirect_uri, code_verifier, expires_at,"
            + " dpop_key, atproto) values ($1, $2, 'bluesky', $3, $4, $5, $6, $7)")
        .execute(Tuple.tuple(List.of(state, workspaceId, redirectUri, cipher.encrypt(verifier), Instant.now().plus(OAuthConnect.STATE_LIFETIME).atOffset(ZoneOffset.UTC),
            cipher.encrypt(dpop.privateJwk()), atproto))));
    URI url = UriBuilder.fromUri(resolved.authorizationEndpoint())
        .queryParam("client_id", clientId()).queryParam("request_uri", pushed.body().path("request_uri").asText()).build();
    return new OAuthConnect.Started(url.toString(), state);
  }

  /**
   * The browser came back ({@code pending}: the consumed state row). Answers where the browser goes next, with
   * {@code account_id} or {@code error}.
   */
  public URI complete(Row pending, String code, String iss, String state) {
    String redirectUri = pending.getString("redirect_uri");
    try {
      JsonNode resolved = json.readTree(pending.getString("atproto"));
      String issuer = resolved.path("issuer").asText();
      if (!issuer.equals(iss)) {
        Log.warnf("atproto callback from %s, expected %s", iss, issuer);
        return OAuthConnect.back(redirectUri, state, Map.of("error", "issuer_mismatch"));
      }
      Es256Key dpop = Es256Key.fromJwk(cipher.decrypt(pending.getString("dpop_key")));
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "authorization_code");
      form.put("code", code);
      form.put("redirect_uri", callbackUrl());
      form.put("code_verifier", cipher.decrypt(pending.getString("code_verifier")));
      // the key the request was pushed with (states begun before keys rotated name none: the newest then)
      Es256Key clientKey = resolved.hasNonNull("client_kid") ? clientKeys.byKid(resolved.path("client_kid").asText()) : clientKeys.active();
      if (clientKey == null) return OAuthConnect.back(redirectUri, state, Map.of("error", "client_key_retired"));
      AtprotoOAuth.authenticate(form, clientKey, clientId(), issuer);
      AtprotoOAuth.Answer tokens = AtprotoOAuth.post(outbound.userNamed(), safe(resolved.path("token_endpoint").asText(), "handle"), form, dpop);
      if (tokens.status() != 200 || !tokens.body().hasNonNull("access_token")) {
        Log.warnf("atproto code exchange at %s failed: %d %s", issuer, tokens.status(), tokens.body());
        return OAuthConnect.back(redirectUri, state, Map.of("error", tokens.error().isEmpty() ? "exchange_failed" : tokens.error()));
      }
      JsonNode body = tokens.body();
      // The server must have authorized the account we resolved (else any server could claim any DID), with atproto.
      if (!resolved.path("did").asText().equals(body.path("sub").asText())) {
        Log.warnf("atproto token for %s, expected %s", body.path("sub").asText(), resolved.path("did").asText());
        return OAuthConnect.back(redirectUri, state, Map.of("error", "account_mismatch"));
      }
      if (!List.of(body.path("scope").asText("").split(" ")).contains("atproto") || !"DPoP".equalsIgnoreCase(body.path("token_type").asText())) {
        return OAuthConnect.back(redirectUri, state, Map.of("error", "scope_not_granted"));
      }
      long expiresIn = body.path("expires_in").asLong(0);
      ConnectAccountRequest request = new ConnectAccountRequest("bluesky", body.path("sub").asText(),
          resolved.hasNonNull("handle") ? resolved.path("handle").asText() : null,
          body.path("access_token").asText(), body.hasNonNull("refresh_token") ? body.path("refresh_token").asText() : null,
          expiresIn > 0 ? Instant.now().plusSeconds(expiresIn).toString() : null, null, resolved.path("pds").asText(), null, null);
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("auth_server", issuer);
      fields.put("token_endpoint", resolved.path("token_endpoint").asText());
      fields.put("client_id", clientId());
      fields.put("client_kid", clientKey.kid());
      AccountService.OAuthSession session = new AccountService.OAuthSession(dpop.privateJwk(), fields);
      AccountView account = VertxContextSupport.subscribeAndAwait(() -> accounts.connect(pending.getString("workspace_id"), request, session)).account();
      return OAuthConnect.back(redirectUri, state, Map.of("account_id", account.id()));
    } catch (Throwable e) {
      Log.warnf(e, "atproto OAuth connect failed");
      return OAuthConnect.back(redirectUri, state, Map.of("error", "exchange_failed"));
    }
  }

  /**
   * Handle or DID to DID document (which must claim the handle back), its PDS, the PDS's authorization server and
   * that server's metadata (whose issuer must be the server itself). Every server is called through the SSRF guard.
   */
  Resolved resolve(String login) {
    String did = login;
    if (!login.startsWith("did:")) {
      JsonNode answer = call(() -> AtprotoOAuth.get(outbound.configured(), AccountService.stripSlash(handleResolver)
          + "/xrpc/com.atproto.identity.resolveHandle?handle=" + Forms.encode(login)));
      did = answer.path("did").asText("");
      if (!did.startsWith("did:")) throw invalid("handle", "handle_not_found", "the handle " + login + " does not resolve to an atproto account");
    }
    String documentUrl;
    if (did.startsWith("did:plc:")) documentUrl = AccountService.stripSlash(plcDirectory) + "/" + did;
    else if (did.startsWith("did:web:")) documentUrl = "https://" + did.substring("did:web:".length()) + "/.well-known/did.json";
    else throw invalid("handle", "unsupported_did", did + " is neither did:plc nor did:web");
    String documentAt = safe(documentUrl, "handle");
    JsonNode document = call(() -> AtprotoOAuth.get(outbound.userNamed(), documentAt));
    if (!did.equals(document.path("id").asText())) throw invalid("handle", "did_not_found", "no DID document for " + did);
    String handle = null;
    for (JsonNode aka : document.path("alsoKnownAs")) {
      if (aka.asText().startsWith("at://")) {
        handle = aka.asText().substring(5);
        break;
      }
    }
    if (!login.startsWith("did:") && !login.equalsIgnoreCase(handle)) {
      throw invalid("handle", "handle_not_verified", "the DID document of " + did + " does not claim the handle " + login);
    }
    String pds = null;
    for (JsonNode service : document.path("service")) {
      if (service.path("id").asText().endsWith("#atproto_pds")) pds = AccountService.stripSlash(service.path("serviceEndpoint").asText());
    }
    if (pds == null) throw invalid("handle", "no_pds", "the DID document of " + did + " names no PDS");
    String pdsUrl = safe(pds, "handle");
    JsonNode resource = call(() -> AtprotoOAuth.get(outbound.userNamed(), pdsUrl + "/.well-known/oauth-protected-resource"));
    String issuer = AccountService.stripSlash(resource.path("authorization_servers").path(0).asText(""));
    if (issuer.isEmpty()) throw invalid("handle", "no_authorization_server", pds + " names no OAuth authorization server");
    JsonNode server = serverMetadata(issuer);
    if (!server.path("token_endpoint").isTextual() || !server.path("pushed_authorization_request_endpoint").isTextual()
        || !server.path("authorization_endpoint").isTextual()) {
      throw invalid("handle", "no_authorization_server", issuer + " does not publish atproto OAuth metadata (PAR, authorization and token endpoints)");
    }
    return new Resolved(did, handle, pds, issuer, server.path("pushed_authorization_request_endpoint").asText(),
        server.path("authorization_endpoint").asText(), server.path("token_endpoint").asText());
  }

  private JsonNode serverMetadata(String issuer) {
    String at = safe(issuer, "handle");
    JsonNode server = call(() -> AtprotoOAuth.get(outbound.userNamed(), at + "/.well-known/oauth-authorization-server"));
    if (!issuer.equals(AccountService.stripSlash(server.path("issuer").asText("")))) {
      throw invalid("handle", "no_authorization_server", issuer + "'s metadata names another issuer, or none");
    }
    return server;
  }

  private String safe(String url, String field) {
    String unsafe = url == null || url.isBlank() ? "no URL" : addressPolicy.whyUnsafe(url);
    if (unsafe != null) throw invalid(field, "unsafe_url", field + ": the account's server " + url + " is refused: " + unsafe);
    return AccountService.stripSlash(url);
  }

  private interface Io<T> {
    T get() throws Exception;
  }

  private static <T> T call(Io<T> io) {
    try {
      return io.get();
    } catch (ProblemException e) {
      throw e;
    } catch (Exception e) {
      throw new ProblemException(502, "authorization_server_unreachable", "Bluesky could not be reached",
          "resolving the account or pushing the authorization request failed: " + e.getClass().getSimpleName());
    }
  }

  private static ProblemException invalid(String field, String code, String message) {
    return ProblemException.invalidField(field, code, message);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
