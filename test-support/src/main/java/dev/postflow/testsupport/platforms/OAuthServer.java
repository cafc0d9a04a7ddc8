package dev.postflow.testsupport.platforms;

import dev.postflow.testsupport.platforms.Simulator.Answer;
import dev.postflow.testsupport.platforms.Simulator.Call;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A platform's OAuth 2.0 authorization-code server, as a simulator speaks it (docs/platforms, "OAuth" of each
 * platform): the authorization endpoint approves at once and sends the browser back to {@code redirect_uri} with a
 * code; the token endpoint takes the code only with this platform's client authentication (HTTP Basic, or the client's
 * id and secret in the form under the platform's name for them), the same redirect URI and, where the platform does
 * PKCE, the verifier of the challenge; it also answers refresh grants. Each platform differs in those details, which
 * the {@link Dialect} names; everything else (what the token answer looks like) the simulator shapes.
 */
public final class OAuthServer {
  public static final String CLIENT_ID = "postflow-client";
  public static final String CLIENT_SECRET = "postflow-client-secret";

  /**
   * How one platform does it. {@code clientIdParam}: "client_id", or TikTok's "client_key". {@code basicAuth}: the
   * token endpoint wants HTTP Basic (X's confidential clients, Pinterest), else the id and secret in the form.
   * {@code pkce}: the authorization request must carry an S256 challenge. {@code authorizeParams}: parameters the
   * authorization request must carry besides the standard ones (Google's access_type=offline for a refresh token).
   */
  public record Dialect(String authorizePath, String tokenPath, String clientIdParam, boolean basicAuth, boolean pkce,
      Map<String, String> authorizeParams, long expiresIn) {}

  private record Grant(String redirectUri, String challenge, String scope, String clientId) {}

  public final Dialect dialect;
  /** Access tokens this server issued (the simulator's userinfo accepts them). */
  public final Set<String> issued = ConcurrentHashMap.newKeySet();
  public final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
  public final AtomicInteger codeExchanges = new AtomicInteger();
  /** The scope of the last authorization request, as sent. */
  public volatile String lastScope;
  /** The clients registered with this platform (id → secret): ours, and workspaces' own apps ({@link #register}). */
  private final Map<String, String> clients = new ConcurrentHashMap<>(Map.of(CLIENT_ID, CLIENT_SECRET));
  /** Which client each access and refresh token was issued to (a refresh token is good only for its client). */
  private final Map<String, String> issuedTo = new ConcurrentHashMap<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final String prefix;
  private final Function<Map<String, Object>, Object> shape;

  /** Registers the authorization endpoint and, unless the simulator answers its token path itself, the token endpoint. */
  public OAuthServer(Simulator simulator, String prefix, Dialect dialect, boolean tokenRoute, Function<Map<String, Object>, Object> shape) {
    this.dialect = dialect;
    this.prefix = prefix;
    this.shape = shape;
    simulator.route("GET", dialect.authorizePath(), (call, path) -> authorize(call));
    if (tokenRoute) simulator.route("POST", dialect.tokenPath(), (call, path) -> token(call));
  }

  private Answer authorize(Call call) {
    Map<String, String> q = call.query();
    String redirect = q.get("redirect_uri");
    List<String> problems = new java.util.ArrayList<>();
    if (!"code".equals(q.get("response_type"))) problems.add("response_type must be code");
    if (!clients.containsKey(String.valueOf(q.get(dialect.clientIdParam())))) problems.add(dialect.clientIdParam() + " must be a registered app's");
    if (redirect == null) problems.add("redirect_uri is required");
    if (q.get("state") == null) problems.add("state is required");
    if (dialect.pkce() && (q.get("code_challenge") == null || !"S256".equals(q.get("code_challenge_method")))) problems.add("PKCE S256 required");
    dialect.authorizeParams().forEach((name, value) -> {
      if (!value.equals(q.get(name))) problems.add(name + " must be " + value);
    });
    if (!problems.isEmpty()) return Answer.json(400, Map.of("error", "invalid_request", "error_description", String.join("; ", problems)));
    lastScope = q.get("scope");
    String code = prefix + "-code-" + UUID.randomUUID();
    codes.put(code, new Grant(redirect, dialect.pkce() ? q.get("code_challenge") : null, q.get("scope"), q.get(dialect.clientIdParam())));
    String back = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code) + "&state=" + enc(q.get("state"));
    return Answer.empty(302).with("Location", back);
  }

  /** The token endpoint: the authorization_code grant, and refresh grants (the refresh token is rotated). */
  public Answer token(Call call) {
    Map<String, String> form = call.form();
    String client = authenticatedClient(call, form);
    if (client == null) return Answer.json(401, Map.of("error", "invalid_client", "error_description", "Client authentication failed."));
    Map<String, Object> tokens;
    if ("authorization_code".equals(form.get("grant_type"))) {
      Grant grant = codes.remove(String.valueOf(form.get("code")));
      boolean verified = grant != null && (grant.challenge() == null || grant.challenge().equals(s256(form.get("code_verifier"))));
      if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri")) || !verified || !grant.clientId().equals(client)) {
        return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "The authorization code is invalid or was already used."));
      }
      codeExchanges.incrementAndGet();
      tokens = issue(grant.scope(), client);
    } else if ("refresh_token".equals(form.get("grant_type")) && client.equals(clientOf(String.valueOf(form.get("refresh_token"))))
        && refreshTokens.remove(String.valueOf(form.get("refresh_token")))) {
      tokens = issue(null, client);
    } else {
      return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "The grant is invalid."));
    }
    return Answer.json(200, shape.apply(tokens));
  }

  private Map<String, Object> issue(String scope, String client) {
    String access = prefix + "-access-" + UUID.randomUUID();
    String refresh = prefix + "-refresh-" + UUID.randomUUID();
    issued.add(access);
    refreshTokens.add(refresh);
    issuedTo.put(access, client);
    issuedTo.put(refresh, client);
    Map<String, Object> tokens = new LinkedHashMap<>();
    tokens.put("access_token", access);
    tokens.put("token_type", "bearer");
    tokens.put("expires_in", dialect.expiresIn());
    tokens.put("refresh_token", refresh);
    if (scope != null) tokens.put("scope", scope);
    return tokens;
  }

  /** A workspace's own app registered on the platform (its client id and secret). */
  public void register(String clientId, String clientSecret) {
    clients.put(clientId, clientSecret);
  }

  /** A refresh token as if issued to {@code clientId} (a workspace's own app) by an earlier connect. */
  public void issueRefreshToken(String token, String clientId) {
    refreshTokens.add(token);
    issuedTo.put(token, clientId);
  }

  /** The client a token was issued to (tokens made by hand in tests: ours). */
  public String clientOf(String token) {
    return issuedTo.getOrDefault(token, CLIENT_ID);
  }

  /** Whether {@code secret} is the secret of the client {@code token} was issued to (Meta's long-lived exchange sends only the secret). */
  public boolean secretOfClientOf(String token, String secret) {
    return secret != null && secret.equals(clients.get(clientOf(token)));
  }

  /** Whether this id and secret are a registered client's. */
  public boolean authenticates(String clientId, String secret) {
    return clientId != null && secret != null && secret.equals(clients.get(clientId));
  }

  /** The client the token request authenticated as (the platform's way), or null. */
  private String authenticatedClient(Call call, Map<String, String> form) {
    if (dialect.basicAuth()) {
      String header = call.header("Authorization");
      if (header == null || !header.startsWith("Basic ") || form.containsKey("client_secret")) return null;
      String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) return null;
      String id = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
      return authenticates(id, java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)) ? id : null;
    }
    String id = form.get(dialect.clientIdParam());
    return authenticates(id, form.get("client_secret")) ? id : null;
  }

  /** Whether a call carries an access token this server issued. */
  public boolean accepts(Call call) {
    String bearer = Simulator.bearer(call);
    return bearer != null && issued.contains(bearer);
  }

  static String s256(String verifier) {
    if (verifier == null) return null;
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
