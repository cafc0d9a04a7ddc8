package dev.postflow.posts.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.Forms;
import dev.postflow.contract.net.OutboundHttp;
import dev.postflow.posts.config.OutboundServers;
import dev.postflow.posts.oauthapp.OAuthApps;
import dev.postflow.posts.problem.FieldError;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * OAuth 2.0 authorization-code connect (contract section 2): {@link #start} answers the platform's authorization URL
 * (with PKCE S256 where the platform takes it) and a single-use state; the platform sends the user's browser back to
 * {@code /oauth/callback}, where {@link #complete} exchanges the code at the platform's token endpoint, reads who the
 * user is, stores the account with its tokens encrypted, and sends the browser on to the caller's redirect_uri with
 * {@code account_id} (or {@code error}). Each platform is configuration: {@code postflow.oauth.<platform>.*}, and
 * its differences are settings too: how the client authenticates at the token endpoint ({@code client-auth}: the form,
 * or HTTP Basic as X's confidential clients and Pinterest require), what the client id is called ({@code
 * client-id-param}: TikTok's "client_key"), extra authorization parameters ({@code authorize-params}: Google's
 * access_type=offline), Meta's exchange of the short-lived token for a 60-day one ({@code long-lived-url}, a template
 * with {client_id}, {client_secret} and {access_token}), Facebook's list of Pages ({@code accounts-url}) and Google
 * Business Profile's locations ({@code locations-url}).
 * Mastodon has no central server: the caller names the instance, which registers our app once ({@link MastodonApps}).
 * Bluesky is atproto OAuth (PAR, DPoP, a client metadata document instead of a registered client): {@link BlueskyOAuth}.
 */
@ApplicationScoped
public class OAuthConnect {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long a connect link (its state) may be used. */
  static final Duration STATE_LIFETIME = Duration.ofMinutes(10);

  @Inject Config config;
  @Inject Pool pool;
  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject AccountService accounts;
  @Inject MastodonApps mastodonApps;
  @Inject BlueskyOAuth bluesky;
  @Inject OAuthApps apps;

  @Inject OutboundServers outbound;

  public record Started(String authorizationUrl, String state) {}

  /**
   * One platform's OAuth settings, with the client of the workspace's own app ({@code app}, its id kept with the
   * accounts it connects) or the deployment's ({@code app} null).
   */
  record Provider(String platform, String authorizeUrl, String tokenUrl, String userinfoUrl, String clientId, String clientSecret,
      String scopes, boolean pkce, String idField, String handleField, String clientIdParam, boolean basicAuth, String authorizeParams,
      String longLivedUrl, String accountsUrl, String locationsUrl, OAuthApps.Credentials app) {}

  public Started start(String workspaceId, String platform, String redirectUri, String instanceUrl, String handle) {
    List<FieldError> errors = new java.util.ArrayList<>();
    if (platform == null || platform.isBlank()) errors.add(FieldError.of("platform", "required", "platform is required"));
    if (redirectUri == null || !redirectUri.matches("https?://[^\\s]+")) {
      errors.add(FieldError.of("redirect_uri", "invalid_url", "redirect_uri must be the http(s) URL the user returns to"));
    }
    boolean mastodon = "mastodon".equals(platform);
    if (mastodon && (instanceUrl == null || !instanceUrl.matches("https?://[^\\s/]+/?"))) {
      errors.add(FieldError.of("instance_url", "invalid_url", "a Mastodon connect names the user's instance, e.g. https://mastodon.social"));
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    if ("bluesky".equals(platform)) return bluesky.start(workspaceId, handle, redirectUri);
    String instance = mastodon ? AccountService.stripSlash(instanceUrl) : null;
    OAuthApps.Credentials app = mastodon ? null : apps.active(workspaceId, platform);
    Provider provider = mastodon ? mastodon(instance) : provider(platform, app).orElseThrow(() -> new ProblemException(400, "oauth_not_configured",
        "OAuth not configured", "connecting " + platform + " with OAuth needs postflow.oauth." + platform + ".client-id, client-secret, authorize-url"
            + " and token-url, or the workspace's own app (PUT /v1/oauth-apps/" + platform + "); or connect it with POST /v1/accounts and a token you hold"));
    String state = random();
    String verifier = provider.pkce() ? random() + random() : null;
    UriBuilder url = UriBuilder.fromUri(provider.authorizeUrl())
        .queryParam("response_type", "code")
        .queryParam(provider.clientIdParam(), provider.clientId())
        .queryParam("redirect_uri", callbackUrl())
        .queryParam("state", state);
    if (!provider.scopes().isBlank()) url.queryParam("scope", provider.scopes());
    for (String pair : provider.authorizeParams().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) url.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
    }
    if (verifier != null) url.queryParam("code_challenge", s256(verifier)).queryParam("code_challenge_method", "S256");
    // The app is kept with the state: the code is exchanged by the client it was issued to, whatever the workspace sets meanwhile.
    await(pool.preparedQuery("insert into posts.oauth_state (state, workspace_id, platform, redirect_uri, code_verifier, expires_at, instance_url,"
            + " oauth_app_id) values ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.tuple(java.util.Arrays.asList(state, workspaceId, platform, redirectUri, cipher.encrypt(verifier),
            Instant.now().plus(STATE_LIFETIME).atOffset(ZoneOffset.UTC), instance, app == null ? null : app.id()))));
    return new Started(url.build().toString(), state);
  }

  /** The browser came back from the platform: exchange, create the account, answer where the browser goes next. */
  public URI complete(String code, String state, String platformError, String issuer) {
    if (state == null) throw new ProblemException(400, "invalid_state", "Missing OAuth state", "the callback needs the state it was given");
    // Single use: the state is consumed by this statement, so a replayed callback finds nothing.
    var consumed = await(pool.preparedQuery("update posts.oauth_state set used_at = now()"
            + " where state = $1 and used_at is null and expires_at > now() returning workspace_id, platform, redirect_uri, code_verifier, instance_url, dpop_key, atproto,"
            + " oauth_app_id")
        .execute(Tuple.of(state)));
    if (!consumed.iterator().hasNext()) {
      var known = await(pool.preparedQuery("select redirect_uri from posts.oauth_state where state = $1").execute(Tuple.of(state)));
      if (!known.iterator().hasNext()) {
        throw new ProblemException(400, "invalid_state", "Unknown OAuth state", "this connect link is unknown; start again with POST /v1/accounts/connect");
      }
      return back(known.iterator().next().getString(0), state, Map.of("error", "invalid_state"));
    }
    Row pending = consumed.iterator().next();
    String redirectUri = pending.getString("redirect_uri");
    if (platformError != null) return back(redirectUri, state, Map.of("error", platformError));
    String platform = pending.getString("platform");
    String instance = pending.getString("instance_url");
    if (code == null) return back(redirectUri, state, Map.of("error", "invalid_request"));
    if ("bluesky".equals(platform)) return bluesky.complete(pending, code, issuer, state);
    try {
      String appId = pending.getString("oauth_app_id");
      OAuthApps.Credentials app = appId == null ? null : apps.byId(appId);
      if (appId != null && app == null) return back(redirectUri, state, Map.of("error", "oauth_app_deleted"));
      Provider provider = instance != null ? mastodon(instance) : provider(platform, app).orElse(null);
      if (provider == null) return back(redirectUri, state, Map.of("error", "invalid_request"));
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "authorization_code");
      form.put("code", code);
      form.put("redirect_uri", callbackUrl());
      if (!provider.basicAuth()) {
        form.put(provider.clientIdParam(), provider.clientId());
        form.put("client_secret", provider.clientSecret());
      }
      String verifier = cipher.decrypt(pending.getString("code_verifier"));
      if (verifier != null) form.put("code_verifier", verifier);
      JsonNode tokens = post(provider, form);
      // Instagram Login answers {"data":[{access_token, user_id, permissions}]}
      if (!tokens.hasNonNull("access_token") && tokens.path("data").path(0).hasNonNull("access_token")) tokens = tokens.path("data").path(0);
      if (!tokens.hasNonNull("access_token")) {
        Log.warnf("OAuth code exchange for %s failed: %s", platform, tokens);
        return back(redirectUri, state, Map.of("error", tokens.path("error").isTextual() ? tokens.path("error").asText() : "exchange_failed"));
      }
      if (provider.longLivedUrl() != null) {
        // Meta: the code gives a token for an hour or two; the 60-day token is what lasts (and what Page tokens derive from).
        tokens = get(provider, provider.longLivedUrl().replace("{client_id}", Forms.encode(provider.clientId())).replace("{client_secret}", Forms.encode(provider.clientSecret()))
            .replace("{access_token}", Forms.encode(tokens.path("access_token").asText())), null);
        if (!tokens.hasNonNull("access_token")) {
          Log.warnf("OAuth long-lived token exchange for %s failed: %s", platform, tokens);
          return back(redirectUri, state, Map.of("error", "exchange_failed"));
        }
      }
      String accessToken = tokens.path("access_token").asText();
      String workspaceId = pending.getString("workspace_id");
      if (provider.locationsUrl() != null) return connectLocations(provider, tokens, workspaceId, redirectUri, state);
      if (provider.accountsUrl() != null) return connectEach(provider, accessToken, workspaceId, redirectUri, state);
      JsonNode user = provider.userinfoUrl() == null ? tokens : get(provider, provider.userinfoUrl(), accessToken);
      String externalId = path(user, provider.idField());
      if (externalId == null) return back(redirectUri, state, Map.of("error", "userinfo_failed"));
      long expiresIn = tokens.path("expires_in").asLong(0);
      ConnectAccountRequest request = new ConnectAccountRequest(platform, externalId, path(user, provider.handleField()), accessToken,
          tokens.hasNonNull("refresh_token") ? tokens.path("refresh_token").asText() : null,
          expiresIn > 0 ? Instant.now().plusSeconds(expiresIn).toString() : null, instance, null, null, null);
      AccountView account = VertxContextSupport.subscribeAndAwait(() -> accounts.connectThrough(workspaceId, request, provider.app())).account();
      return back(redirectUri, state, Map.of("account_id", account.id()));
    } catch (Throwable e) {
      Log.warnf(e, "OAuth connect of %s failed", platform);
      return back(redirectUri, state, Map.of("error", "exchange_failed"));
    }
  }

  /**
   * Facebook Pages: the user's token lists the Pages they granted ({@code accounts-url}, Graph's /me/accounts), each
   * with its own Page token (which does not expire when it comes from a long-lived user token). Every Page becomes an
   * account; the browser goes back with account_id (the first) and account_ids (all, comma-separated).
   */
  private URI connectEach(Provider provider, String userToken, String workspaceId, String redirectUri, String state) throws Throwable {
    List<ConnectAccountRequest> pages = new java.util.ArrayList<>();
    for (JsonNode page : get(provider, provider.accountsUrl(), userToken).path("data")) {
      if (!page.hasNonNull("id") || !page.hasNonNull("access_token")) continue;
      pages.add(new ConnectAccountRequest(provider.platform(), page.path("id").asText(),
          page.hasNonNull("name") ? page.path("name").asText() : null, page.path("access_token").asText(), null, null, null, null, null, null));
    }
    return connectAll(pages, provider.app(), workspaceId, redirectUri, state);
  }

  /**
   * Google Business Profile: the user's business accounts ({@code accounts-url}) and each one's locations ({@code
   * locations-url}, {account} filled in); every location becomes an account ({@code accounts/…/locations/…}, the path
   * the publisher posts to) with the user's Google tokens, which the publisher refreshes.
   */
  private URI connectLocations(Provider provider, JsonNode tokens, String workspaceId, String redirectUri, String state) throws Throwable {
    String accessToken = tokens.path("access_token").asText();
    String refreshToken = tokens.hasNonNull("refresh_token") ? tokens.path("refresh_token").asText() : null;
    long expiresIn = tokens.path("expires_in").asLong(0);
    String expiresAt = expiresIn > 0 ? Instant.now().plusSeconds(expiresIn).toString() : null;
    List<ConnectAccountRequest> locations = new java.util.ArrayList<>();
    for (JsonNode business : get(provider, provider.accountsUrl(), accessToken).path("accounts")) {
      String account = business.path("name").asText("");
      if (!account.startsWith("accounts/")) continue;
      for (JsonNode location : get(provider, provider.locationsUrl().replace("{account}", account), accessToken).path("locations")) {
        if (!location.path("name").asText("").startsWith("locations/")) continue;
        locations.add(new ConnectAccountRequest(provider.platform(), account + "/" + location.path("name").asText(),
            location.hasNonNull("title") ? location.path("title").asText() : null, accessToken, refreshToken, expiresAt, null, null, null, null));
      }
    }
    return connectAll(locations, provider.app(), workspaceId, redirectUri, state);
  }

  /** Connects each; the browser goes back with account_id (the first) and account_ids (all), or an error when there are none. */
  private URI connectAll(List<ConnectAccountRequest> requests, OAuthApps.Credentials app, String workspaceId, String redirectUri, String state)
      throws Throwable {
    List<String> ids = new java.util.ArrayList<>();
    for (ConnectAccountRequest request : requests) {
      ids.add(VertxContextSupport.subscribeAndAwait(() -> accounts.connectThrough(workspaceId, request, app)).account().id());
    }
    if (ids.isEmpty()) return back(redirectUri, state, Map.of("error", "no_accounts_granted"));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("account_id", ids.get(0));
    params.put("account_ids", String.join(",", ids));
    return back(redirectUri, state, params);
  }

  /**
   * The platforms a user of this workspace can connect with OAuth now, in a stable order: the sandbox and every
   * platform whose OAuth is set (the workspace's own app, or the deployment's), then Mastodon and Bluesky, which need
   * nothing set. Blocking (the workspace's apps are read).
   */
  public List<String> connectable(String workspaceId) {
    List<String> platforms = new java.util.ArrayList<>();
    for (String platform : java.util.stream.Stream.concat(java.util.stream.Stream.of("sandbox"), new java.util.TreeSet<>(OAuthApps.PLATFORMS).stream()).toList()) {
      OAuthApps.Credentials app = platform.equals("sandbox") ? null : apps.active(workspaceId, platform);
      if (provider(platform, app).isPresent()) platforms.add(platform);
    }
    platforms.add("mastodon");
    platforms.add("bluesky");
    return platforms;
  }

  /** Mastodon: the instance's own OAuth server, with the client it registered for us ({@link MastodonApps}). */
  private Provider mastodon(String instance) {
    MastodonApps.App app = mastodonApps.app(instance, callbackUrl());
    return new Provider("mastodon", instance + "/oauth/authorize", instance + "/oauth/token", instance + "/api/v1/accounts/verify_credentials",
        app.clientId(), app.clientSecret(), mastodonApps.scopes(), true, "id", "acct", "client_id", false, "", null, null, null, null);
  }

  /** The platform's settings, with the workspace's app's client ({@code app}) or else the deployment's; empty when neither is set. */
  private Optional<Provider> provider(String platform, OAuthApps.Credentials app) {
    String prefix = "postflow.oauth." + platform + ".";
    Optional<String> clientId = app != null ? Optional.of(app.clientId()) : config.getOptionalValue(prefix + "client-id", String.class);
    Optional<String> authorize = config.getOptionalValue(prefix + "authorize-url", String.class);
    Optional<String> token = config.getOptionalValue(prefix + "token-url", String.class);
    if (clientId.isEmpty() || authorize.isEmpty() || token.isEmpty()) return Optional.empty();
    return Optional.of(new Provider(platform, authorize.get(), token.get(), config.getOptionalValue(prefix + "userinfo-url", String.class).orElse(null),
        clientId.get(), app != null ? java.util.Objects.requireNonNullElse(app.clientSecret(), "")
            : config.getOptionalValue(prefix + "client-secret", String.class).orElse(""),
        config.getOptionalValue(prefix + "scopes", String.class).orElse(""),
        config.getOptionalValue(prefix + "pkce", Boolean.class).orElse(true),
        config.getOptionalValue(prefix + "id-field", String.class).orElse("id"),
        config.getOptionalValue(prefix + "handle-field", String.class).orElse("handle"),
        config.getOptionalValue(prefix + "client-id-param", String.class).orElse("client_id"),
        config.getOptionalValue(prefix + "client-auth", String.class).orElse("form").equals("basic"),
        config.getOptionalValue(prefix + "authorize-params", String.class).orElse(""),
        config.getOptionalValue(prefix + "long-lived-url", String.class).orElse(null),
        config.getOptionalValue(prefix + "accounts-url", String.class).orElse(null),
        config.getOptionalValue(prefix + "locations-url", String.class).orElse(null), app));
  }

  private String callbackUrl() {
    return callbackUrl(config.getValue("postflow.public-base-url", String.class));
  }

  /** Where every platform sends the browser back ({@link OAuthCallbackResource}). */
  static String callbackUrl(String publicBaseUrl) {
    return AccountService.stripSlash(publicBaseUrl) + "/oauth/callback";
  }

  /** The token request: the client authenticates in the form, or with HTTP Basic (RFC 6749 2.3.1: each part form-encoded). */
  private JsonNode post(Provider provider, Map<String, String> form) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    headers.put("Accept", "application/json");
    if (provider.basicAuth()) {
      String credentials = Forms.encode(provider.clientId()) + ":" + Forms.encode(provider.clientSecret());
      headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    String body = http(provider).post(provider.tokenUrl(), headers, Forms.encode(form)).text();
    return json.readTree(body.isBlank() ? "{}" : body);
  }

  /** A GET with the user's token as Bearer (or none); anything but 200 reads as an empty document. */
  private JsonNode get(Provider provider, String url, String accessToken) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    if (accessToken != null) headers.put("Authorization", "Bearer " + accessToken);
    OutboundHttp.Answer answer = http(provider).get(url, headers);
    return answer.status() == 200 ? json.readTree(answer.text()) : json.createObjectNode();
  }

  /** A Mastodon instance is named by the account, so its calls go through the SSRF guard; the other platforms are configured. */
  private OutboundHttp http(Provider provider) {
    return provider.platform().equals("mastodon") ? outbound.userNamed() : outbound.configured();
  }

  /** A dotted path into the user document ("data.id" for X's /2/users/me, "items.0.id" for YouTube's channel list). */
  private static String path(JsonNode node, String dotted) {
    JsonNode at = node;
    for (String part : dotted.split("\\.")) at = at.isArray() && part.matches("\\d+") ? at.path(Integer.parseInt(part)) : at.path(part);
    return at.isMissingNode() || at.isNull() || at.isContainerNode() ? null : at.asText();
  }

  static URI back(String redirectUri, String state, Map<String, String> params) {
    UriBuilder uri = UriBuilder.fromUri(redirectUri);
    params.forEach(uri::queryParam);
    return uri.queryParam("state", state).build();
  }

  static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
