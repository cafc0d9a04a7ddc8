package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postflow.testsupport.platforms.Simulator.Answer;
import dev.postflow.testsupport.platforms.Simulator.Call;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * An atproto OAuth authorization server and the resource-server checks of its PDS (atproto.com/specs/oauth), as
 * strict as the spec: server metadata and protected-resource metadata; PAR only, with PKCE S256 and a DPoP proof;
 * confidential clients only: the {@code client_id} is a URL whose client metadata document is fetched, and every PAR,
 * code exchange and refresh must carry a client assertion signed by a key of its {@code jwks}; DPoP proofs with the
 * server's current nonce (else {@code use_dpop_nonce} and the nonce in {@code DPoP-Nonce}), fresh {@code iat}, unique
 * {@code jti}, matching {@code htm}/{@code htu}, and at the PDS an {@code ath} of the access token; tokens bound to the
 * DPoP key's thumbprint; codes single use; refresh tokens rotated. The authorization endpoint approves at once and
 * sends the browser back with {@code code}, {@code state} and {@code iss}. Signatures are checked with jose4j, not
 * with the code under test.
 */
public final class AtprotoAuthServer {
  private record Request(String clientId, String redirectUri, String challenge, String state, String scope, String jkt, String kid) {}

  private record Session(String jkt, String clientId, String kid, Instant expiresAt) {}

  private final Simulator simulator;
  private final String did;
  private final Map<String, Request> requests = new ConcurrentHashMap<>();
  private final Map<String, Request> codes = new ConcurrentHashMap<>();
  private final Map<String, Session> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, Session> refreshTokens = new ConcurrentHashMap<>();
  private final Set<String> seenJti = ConcurrentHashMap.newKeySet();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile String nonce = UUID.randomUUID().toString();

  public final AtomicInteger pushedRequests = new AtomicInteger();
  public final AtomicInteger codeExchanges = new AtomicInteger();
  public final AtomicInteger refreshes = new AtomicInteger();
  public final AtomicInteger nonceRejections = new AtomicInteger();
  /** Client metadata documents fetched, by client_id. */
  public final List<String> clientMetadataFetched = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Lifetime of the access tokens it issues. */
  public volatile Duration accessLifetime = Duration.ofMinutes(15);

  public AtprotoAuthServer(Simulator simulator, String did) {
    this.simulator = simulator;
    this.did = did;
    simulator.route("GET", "/.well-known/oauth-protected-resource", (call, path) ->
        Answer.json(200, Map.of("resource", simulator.baseUrl(), "authorization_servers", List.of(simulator.baseUrl()))));
    simulator.route("GET", "/.well-known/oauth-authorization-server", (call, path) -> Answer.json(200, metadata()));
    simulator.route("POST", "/oauth/par", (call, path) -> par(call));
    simulator.route("GET", "/oauth/authorize", (call, path) -> authorize(call));
    simulator.route("POST", "/oauth/token", (call, path) -> token(call));
  }

  /** A new nonce: proofs with the old one are refused (use_dpop_nonce) from now on. */
  public void rotateNonce() {
    nonce = UUID.randomUUID().toString();
  }

  /** Makes every access token expire now. */
  public void expireAccessTokens() {
    accessTokens.replaceAll((token, session) -> new Session(session.jkt(), session.clientId(), session.kid(), Instant.now().minusSeconds(1)));
  }

  /** Ends every session: refresh tokens are refused (invalid_grant), as after the user revoked the app. */
  public void revokeAll() {
    refreshTokens.clear();
    accessTokens.clear();
  }

  private Map<String, Object> metadata() {
    String base = simulator.baseUrl();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("issuer", base);
    metadata.put("authorization_endpoint", base + "/oauth/authorize");
    metadata.put("token_endpoint", base + "/oauth/token");
    metadata.put("pushed_authorization_request_endpoint", base + "/oauth/par");
    metadata.put("require_pushed_authorization_requests", true);
    metadata.put("response_types_supported", List.of("code"));
    metadata.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
    metadata.put("code_challenge_methods_supported", List.of("S256"));
    metadata.put("token_endpoint_auth_methods_supported", List.of("none", "private_key_jwt"));
    metadata.put("token_endpoint_auth_signing_alg_values_supported", List.of("ES256"));
    metadata.put("scopes_supported", List.of("atproto", "transition:generic", "transition:chat.bsky"));
    metadata.put("authorization_response_iss_parameter_supported", true);
    metadata.put("dpop_signing_alg_values_supported", List.of("ES256"));
    metadata.put("client_id_metadata_document_supported", true);
    return metadata;
  }

  private Answer par(Call call) {
    Map<String, String> form = call.form();
    Proof proof = proof(call, null);
    if (proof.refusal() != null) return proof.refusal();
    Client client = client(form);
    if (client.problem() != null) return Answer.json(401, Map.of("error", "invalid_client", "error_description", client.problem())).with("DPoP-Nonce", nonce);
    String problem = null;
    if (!contains(client.metadata().path("redirect_uris"), form.get("redirect_uri"))) problem = "redirect_uri is not one of the client's redirect_uris";
    if (problem == null && !"code".equals(form.get("response_type"))) problem = "response_type must be code";
    if (problem == null && (form.get("code_challenge") == null || !"S256".equals(form.get("code_challenge_method")))) problem = "PKCE S256 is required";
    if (problem == null && form.get("state") == null) problem = "state is required";
    if (problem == null && !List.of(String.valueOf(form.get("scope")).split(" ")).contains("atproto")) problem = "scope must include atproto";
    if (problem != null) return Answer.json(400, Map.of("error", "invalid_request", "error_description", problem)).with("DPoP-Nonce", nonce);
    String clientId = form.get("client_id");
    String kid = client.kid();
    pushedRequests.incrementAndGet();
    String requestUri = "urn:ietf:params:oauth:request_uri:req-" + UUID.randomUUID();
    requests.put(requestUri, new Request(clientId, form.get("redirect_uri"), form.get("code_challenge"), form.get("state"), form.get("scope"), proof.jkt(), kid));
    return Answer.json(201, Map.of("request_uri", requestUri, "expires_in", 299)).with("DPoP-Nonce", nonce);
  }

  private Answer authorize(Call call) {
    Request request = requests.remove(String.valueOf(call.query().get("request_uri")));
    if (request == null || !request.clientId().equals(call.query().get("client_id"))) {
      return Answer.json(400, Map.of("error", "invalid_request", "error_description", "unknown request_uri (authorization requests must be pushed)"));
    }
    String code = "cod-" + UUID.randomUUID();
    codes.put(code, request);
    String back = request.redirectUri() + (request.redirectUri().contains("?") ? "&" : "?") + "code=" + enc(code) + "&state=" + enc(request.state())
        + "&iss=" + enc(simulator.baseUrl());
    return Answer.empty(302).with("Location", back);
  }

  private Answer token(Call call) {
    Map<String, String> form = call.form();
    Proof proof = proof(call, null);
    if (proof.refusal() != null) return proof.refusal();
    Client client = client(form);
    if (client.problem() != null) return Answer.json(401, Map.of("error", "invalid_client", "error_description", client.problem())).with("DPoP-Nonce", nonce);
    String clientId = form.get("client_id");
    String kid = client.kid();
    if ("authorization_code".equals(form.get("grant_type"))) {
      Request request = codes.remove(String.valueOf(form.get("code")));
      if (request == null || !request.redirectUri().equals(form.get("redirect_uri")) || !request.challenge().equals(s256(form.get("code_verifier")))
          || !request.clientId().equals(clientId) || !request.jkt().equals(proof.jkt()) || !request.kid().equals(kid)) {
        return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "invalid code, verifier, redirect_uri, client or DPoP key")).with("DPoP-Nonce", nonce);
      }
      codeExchanges.incrementAndGet();
      return Answer.json(200, issue(new Session(proof.jkt(), clientId, kid, null), request.scope())).with("DPoP-Nonce", nonce);
    }
    if ("refresh_token".equals(form.get("grant_type"))) {
      Session session = refreshTokens.get(String.valueOf(form.get("refresh_token")));
      if (session == null || !session.jkt().equals(proof.jkt()) || !session.clientId().equals(clientId) || !session.kid().equals(kid)) {
        return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "refresh token unknown, used, or bound to another key or client")).with("DPoP-Nonce", nonce);
      }
      refreshTokens.remove(form.get("refresh_token"));
      refreshes.incrementAndGet();
      return Answer.json(200, issue(session, "atproto transition:generic")).with("DPoP-Nonce", nonce);
    }
    return Answer.json(400, Map.of("error", "unsupported_grant_type", "error_description", "grant_type")).with("DPoP-Nonce", nonce);
  }

  private Map<String, Object> issue(Session session, String scope) {
    String access = "at-" + UUID.randomUUID();
    String refresh = "rt-" + UUID.randomUUID();
    accessTokens.put(access, new Session(session.jkt(), session.clientId(), session.kid(), Instant.now().plus(accessLifetime)));
    refreshTokens.put(refresh, session);
    Map<String, Object> tokens = new LinkedHashMap<>();
    tokens.put("access_token", access);
    tokens.put("token_type", "DPoP");
    tokens.put("expires_in", accessLifetime.toSeconds());
    tokens.put("refresh_token", refresh);
    tokens.put("scope", scope);
    tokens.put("sub", did);
    return tokens;
  }

  /**
   * At the PDS: null when the call carries a live DPoP-bound access token with a valid proof for it; else the PDS's
   * answer (401 use_dpop_nonce with the nonce, or 401 invalid_token). Calls without "Authorization: DPoP" are not this
   * server's to judge: {@code null} is not returned for them, {@link #uses} tells.
   */
  public Answer check(Call call) {
    String header = call.header("Authorization");
    String token = header.substring("DPoP ".length());
    Proof proof = proof(call, token);
    if (proof.refusal() != null) {
      // RFC 9449 section 9: a resource server asks for a nonce with 401 and WWW-Authenticate error="use_dpop_nonce"
      return Answer.json(401, Map.of("error", proof.error(), "message", proof.description()))
          .with("WWW-Authenticate", "DPoP error=\"" + proof.error() + "\"").with("DPoP-Nonce", nonce);
    }
    Session session = accessTokens.get(token);
    if (session == null || !session.jkt().equals(proof.jkt()) || session.expiresAt().isBefore(Instant.now())) {
      return Answer.json(401, Map.of("error", "invalid_token", "message", session == null ? "unknown token" : "token expired or bound to another key"))
          .with("WWW-Authenticate", "DPoP error=\"invalid_token\"").with("DPoP-Nonce", nonce);
    }
    return null;
  }

  /** Whether the call is made with a DPoP-bound token (an OAuth session) rather than a session from an app password. */
  public static boolean uses(Call call) {
    String header = call.header("Authorization");
    return header != null && header.startsWith("DPoP ");
  }

  public String nonce() {
    return nonce;
  }

  private record Proof(String jkt, Answer refusal, String error, String description) {}

  /** Checks the DPoP header of a call (and its ath when a token is sent): the key's thumbprint, or a refusal. */
  private Proof proof(Call call, String accessToken) {
    String jwt = call.header("DPoP");
    if (jwt == null) return refuse("invalid_dpop_proof", "DPoP proof required");
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "ES256"));
      jws.setCompactSerialization(jwt);
      if (!"dpop+jwt".equals(jws.getHeader("typ"))) return refuse("invalid_dpop_proof", "typ must be dpop+jwt");
      PublicJsonWebKey jwk = jws.getJwkHeader();
      if (jwk == null || jwk.getPrivateKey() != null) return refuse("invalid_dpop_proof", "jwk header must be a public key");
      jws.setKey(jwk.getPublicKey());
      if (!jws.verifySignature()) return refuse("invalid_dpop_proof", "bad signature");
      JwtClaims claims = JwtClaims.parse(jws.getPayload());
      String htu = simulator.baseUrl() + call.path();
      if (!call.method().equals(claims.getStringClaimValue("htm")) || !htu.equals(claims.getStringClaimValue("htu"))) {
        return refuse("invalid_dpop_proof", "htm/htu do not match the request");
      }
      long age = Math.abs(Instant.now().getEpochSecond() - claims.getIssuedAt().getValue());
      if (age > 60 || claims.getJwtId() == null || !seenJti.add(claims.getJwtId())) return refuse("invalid_dpop_proof", "stale iat or reused jti");
      if (accessToken != null) {
        String ath = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        if (!ath.equals(claims.getClaimValue("ath"))) return refuse("invalid_dpop_proof", "ath does not match the access token");
      }
      if (!nonce.equals(claims.getClaimValue("nonce"))) {
        nonceRejections.incrementAndGet();
        return refuse("use_dpop_nonce", "Authorization server requires nonce in DPoP proof");
      }
      return new Proof(jwk.calculateBase64urlEncodedThumbprint("SHA-256"), null, null, null);
    } catch (Exception e) {
      return refuse("invalid_dpop_proof", "unreadable DPoP proof: " + e.getMessage());
    }
  }

  private Proof refuse(String error, String description) {
    return new Proof(null, Answer.json(400, Map.of("error", error, "error_description", description)).with("DPoP-Nonce", nonce), error, description);
  }

  /** The client of a PAR or token request: its metadata (fetched from client_id) and the kid that signed its assertion; or why not. */
  private record Client(JsonNode metadata, String kid, String problem) {}

  private Client client(Map<String, String> form) {
    String clientId = form.get("client_id");
    JsonNode metadata = clientMetadata(clientId);
    String problem = clientProblem(metadata, clientId);
    String kid = problem == null ? assertedKid(form, metadata) : null;
    return new Client(metadata, kid, problem != null ? problem : kid == null ? "client authentication failed" : null);
  }

  private JsonNode clientMetadata(String clientId) {
    try {
      if (clientId == null || !clientId.startsWith("http")) return Simulator.JSON.createObjectNode();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(clientId)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      clientMetadataFetched.add(clientId);
      boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      return response.statusCode() == 200 && json ? Simulator.JSON.readTree(response.body()) : Simulator.JSON.createObjectNode();
    } catch (Exception e) {
      return Simulator.JSON.createObjectNode();
    }
  }

  private static String clientProblem(JsonNode client, String clientId) {
    if (!client.path("client_id").asText("").equals(clientId)) return "client metadata missing, or its client_id is not the URL it was fetched from";
    if (!client.path("dpop_bound_access_tokens").asBoolean(false)) return "dpop_bound_access_tokens must be true";
    if (!"private_key_jwt".equals(client.path("token_endpoint_auth_method").asText())) return "a confidential client uses private_key_jwt";
    if (!contains(client.path("grant_types"), "authorization_code") || !contains(client.path("grant_types"), "refresh_token")) return "grant_types";
    if (!contains(client.path("response_types"), "code")) return "response_types";
    if (!List.of(client.path("scope").asText("").split(" ")).contains("atproto")) return "scope must include atproto";
    if (!client.path("jwks").path("keys").isArray()) return "a confidential client publishes jwks";
    return null;
  }

  /** The kid of the client key that signed a valid assertion for this server, or null. */
  private String assertedKid(Map<String, String> form, JsonNode client) {
    if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type")) || form.get("client_assertion") == null) return null;
    try {
      JsonWebKeySet keys = new JsonWebKeySet(client.path("jwks").toString());
      JsonWebSignature jws = new JsonWebSignature();
      jws.setCompactSerialization(form.get("client_assertion"));
      String kid = jws.getKeyIdHeaderValue();
      JsonWebKey key = keys.findJsonWebKey(kid, "EC", null, "ES256");
      if (key == null) return null;
      new JwtConsumerBuilder().setVerificationKey(key.getKey())
          .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "ES256"))
          .setExpectedIssuer(form.get("client_id")).setExpectedSubject(form.get("client_id")).setExpectedAudience(simulator.baseUrl())
          .setRequireJwtId().setRequireIssuedAt().setAllowedClockSkewInSeconds(60).build().process(form.get("client_assertion"));
      return kid;
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean contains(JsonNode array, String value) {
    if (value == null || !array.isArray()) return false;
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values.contains(value);
  }

  private static String s256(String verifier) {
    return OAuthServer.s256(verifier);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
