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

  private record Grant(String redirectUri, String challenge, String scope) {}

  public final Dialect dialect;
  /** Access tokens this server issued (the simulator's userinfo accepts them). */
  public final Set<String> issued = ConcurrentHashMap.newKeySet();
  public final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
  public final AtomicInteger codeExchanges = new AtomicInteger();
  /** The scope of the last authorization request, as sent. */
  public volatile String lastScope;
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
    if (!CLIENT_ID.equals(q.get(dialect.clientIdParam()))) problems.add(dialect.clientIdParam() + " must be the app's");
    if (redirect == null) problems.add("redirect_uri is required");
    if (q.get("state") == null) problems.add("state is required");
    if (dialect.pkce() && (q.get("code_challenge") == null || !"S256".equals(q.get("code_challenge_method")))) problems.add("PKCE S256 required");
    dialect.authorizeParams().forEach((name, value) -> {
      if (!value.equals(q.get(name))) problems.add(name + " must be " + value);
    });
    if (!problems.isEmpty()) return Answer.json(400, Map.of("error", "invalid_request", "error_description", String.join("; ", problems)));
    lastScope = q.get("scope");
    String code = prefix + "-code-" + UUID.randomUUID();
    codes.put(code, new Grant(redirect, dialect.pkce() ? q.get("code_challenge") : null, q.get("scope")));
    String back = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code) + "&state=" + enc(q.get("state"));
    return Answer.empty(302).with("Location", back);
  }

  /** The token endpoint: the authorization_code grant, and refresh grants (the refresh token is rotated). */
  public Answer token(Call call) {
    Map<String, String> form = call.form();
    if (!clientAuthenticated(call, form)) return Answer.json(401, Map.of("error", "invalid_client", "error_description", "Client authentication failed."));
    Map<String, Object> tokens;
    if ("authorization_code".equals(form.get("grant_type"))) {
      Grant grant = codes.remove(String.valueOf(form.get("code")));
      boolean verified = grant != null && (grant.challenge() == null || grant.challenge().equals(s256(form.get("code_verifier"))));
      if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri")) || !verified) {
        return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "The authorization code is invalid or was already used."));
      }
      codeExchanges.incrementAndGet();
      tokens = issue(grant.scope());
    } else if ("refresh_token".equals(form.get("grant_type")) && refreshTokens.remove(String.valueOf(form.get("refresh_token")))) {
      tokens = issue(null);
    } else {
      return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "The grant is invalid."));
    }
    return Answer.json(200, shape.apply(tokens));
  }

  private Map<String, Object> issue(String scope) {
    String access = prefix + "-access-" + UUID.randomUUID();
    String refresh = prefix + "-refresh-" + UUID.randomUUID();
    issued.add(access);
    refreshTokens.add(refresh);
    Map<String, Object> tokens = new LinkedHashMap<>();
    tokens.put("access_token", access);
    tokens.put("token_type", "bearer");
    tokens.put("expires_in", dialect.expiresIn());
    tokens.put("refresh_token", refresh);
    if (scope != null) tokens.put("scope", scope);
    return tokens;
  }

  private boolean clientAuthenticated(Call call, Map<String, String> form) {
    if (dialect.basicAuth()) {
      String expected = Base64.getEncoder().encodeToString((enc(CLIENT_ID) + ":" + enc(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
      return ("Basic " + expected).equals(call.header("Authorization")) && !form.containsKey("client_secret");
    }
    return CLIENT_ID.equals(form.get(dialect.clientIdParam())) && CLIENT_SECRET.equals(form.get("client_secret"));
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
