package dev.postflow.publisher.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.ShortWork;
import dev.postflow.contract.atproto.AtprotoOAuth;
import dev.postflow.contract.crypto.Es256Key;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.Forms;
import dev.postflow.contract.net.OutboundHttp;
import dev.postflow.contract.crypto.SecretCipher;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refreshes access tokens before they expire, by each platform's rule ({@link TokenRules}). One account at a time,
 * in its own transaction that holds the account's row ({@code FOR UPDATE SKIP LOCKED}, so two replicas never spend the
 * same single-use refresh token), and stores a rotated refresh token in the same statement as its access token.
 * A token a platform rejects at publish time is refreshed at once ({@link #refreshRejected}).
 * Only a definitive rejection (OAuth {@code invalid_grant}, Meta 190) moves the account to {@code reauth_required}
 * and emits {@code account.reauth_required}; a timeout or a 5xx leaves it alone until the next round.
 *
 * <p>posts-api owns posts.account; publisher-service writes only its token columns and this one status change.
 */
@ApplicationScoped
public class TokenRefresher {
  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject Config config;
  @Inject OidcClients oidcClients;
  @Inject AddressPolicy addressPolicy;

  private final Map<String, OidcClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

  @Inject AccountEvents events;

  @ConfigProperty(name = "postflow.tokens.refresh-enabled", defaultValue = "true")
  boolean enabled;

  @Inject ShortWork shortWork;

  /** How long a refresh after a rejection waits for the account's row while a refresh elsewhere finishes. */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(40);

  /** The platforms' token endpoints (configured). */
  private final OutboundHttp http = OutboundHttp.unguarded(Duration.ofSeconds(20), "postflow");
  /** An atproto session's token endpoint (named by the account's PDS): every address checked at connect time. */
  private OutboundHttp userNamedServers;

  /** What a refresh ended in. */
  public sealed interface Outcome permits Refreshed, Rejected, Transient, NotRefreshable {}

  /** A token to use (refreshToken: the rotated one, or null when the platform kept the old one). */
  public record Refreshed(String accessToken, String refreshToken, Instant expiresAt) implements Outcome {}

  /** The platform refused the refresh for good (invalid_grant, Meta 190): the account must be reconnected. */
  public record Rejected(String reason) implements Outcome {}

  /** The token endpoint failed for now (unreachable, 5xx): try again later. */
  public record Transient(String reason) implements Outcome {}

  /** Nothing to refresh with (no refresh token, a platform without them, an account no longer active). */
  public record NotRefreshable(String reason) implements Outcome {}

  @PostConstruct
  void clients() {
    userNamedServers = OutboundHttp.guarded(addressPolicy, Duration.ofSeconds(20), "postflow");
  }

  void stop(@Observes ShutdownEvent event) {
    try {
      http.close();
      userNamedServers.close();
    } catch (IOException ignored) {
      // shutting down
    }
  }

  @Scheduled(every = "${postflow.tokens.check-every:60s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (enabled) refreshDue();
  }

  /** Refreshes every account that is due now; returns how many were refreshed. */
  public int refreshDue() {
    int refreshed = 0;
    for (String accountId : candidates()) {
      try {
        if (refreshOne(accountId)) refreshed++;
      } catch (Exception e) {
        Log.warnf(e, "token refresh of %s failed; trying again next round", accountId);
      }
    }
    return refreshed;
  }

  private List<String> candidates() {
    String platforms = TokenRules.BY_PLATFORM.keySet().stream().map(p -> "'" + p + "'").collect(Collectors.joining(","));
    try {
      return shortWork.run(connection -> {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select id from posts.account where status = 'active'"
            + " and token_expires_at is not null and token_expires_at < ? and platform in (" + platforms + ") order by token_expires_at limit 200")) {
          select.setTimestamp(1, Timestamp.from(Instant.now().plus(TokenRules.LOOK_AHEAD)));
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) ids.add(rows.getString(1));
          }
        }
        return ids;
      });
    } catch (SQLException e) {
      Log.warnf("could not look for tokens to refresh: %s", e.getMessage());
      return List.of();
    }
  }

  private boolean refreshOne(String accountId) throws Exception {
    return shortWork.run(connection -> {
      connection.setAutoCommit(false);
      try (PreparedStatement lock = connection.prepareStatement(LOCK_ACCOUNT + " skip locked")) {
        lock.setString(1, accountId);
        try (ResultSet row = lock.executeQuery()) {
          if (!row.next()) {
            connection.rollback();
            return false; // another replica has it, or it is no longer active
          }
          String platform = row.getString("platform");
          TokenRules rules = TokenRules.BY_PLATFORM.get(platform);
          Instant expiresAt = row.getTimestamp("token_expires_at").toInstant();
          Instant issuedAt = row.getTimestamp("updated_at") == null ? null : row.getTimestamp("updated_at").toInstant();
          if (rules == null || !rules.due(expiresAt, issuedAt, Instant.now())) {
            connection.rollback();
            return false;
          }
          String refreshToken = cipher.decrypt(row.getString("refresh_token"));
          String accessToken = cipher.decrypt(row.getString("access_token"));
          if (rules.kind() == TokenRules.Kind.OAUTH2_REFRESH && refreshToken == null) {
            connection.rollback();
            return false; // nothing to refresh with (e.g. LinkedIn without partner refresh tokens): reconnect when it ends
          }
          Outcome outcome = rules.kind() == TokenRules.Kind.OAUTH2_REFRESH ? refresh(connection, row, refreshToken) : meta(platform, accessToken);
          return store(connection, accountId, row, outcome) instanceof Refreshed;
        }
      }
    });
  }

  /**
   * A platform answered a publish with 401 for {@code rejectedAccessToken} (revoked, or expired before its
   * expires_at): refreshes it now, for platforms with OAuth 2.0 refresh tokens. Waits for the account's row (a
   * refresh running elsewhere finishes first); if the stored token is no longer the rejected one, someone refreshed
   * it meanwhile and that token is answered, so a single-use refresh token is never spent twice. Blocking: call it
   * on a worker thread.
   */
  public Outcome refreshRejected(String accountId, String rejectedAccessToken) {
    try {
      return shortWork.run(LOCK_WAIT, connection -> refreshRejected(connection, accountId, rejectedAccessToken));
    } catch (Exception e) {
      Log.warnf("token refresh of %s after a rejection failed: %s", accountId, e.toString());
      return new Transient("the token could not be refreshed: " + e.getMessage());
    }
  }

  private Outcome refreshRejected(Connection connection, String accountId, String rejectedAccessToken) throws Exception {
    connection.setAutoCommit(false);
    try (var timeout = connection.createStatement()) {
      timeout.execute("set local lock_timeout = '" + LOCK_WAIT.toSeconds() + "s'");
    }
    try (PreparedStatement lock = connection.prepareStatement(LOCK_ACCOUNT)) {
      lock.setString(1, accountId);
      try (ResultSet row = lock.executeQuery()) {
        if (!row.next()) {
          connection.rollback();
          return new NotRefreshable("the account is no longer active");
        }
        String platform = row.getString("platform");
        String accessToken = cipher.decrypt(row.getString("access_token"));
        String refreshToken = cipher.decrypt(row.getString("refresh_token"));
        if (!java.util.Objects.equals(accessToken, rejectedAccessToken)) {
          connection.rollback();
          var expires = row.getTimestamp("token_expires_at");
          return new Refreshed(accessToken, null, expires == null ? null : expires.toInstant());
        }
        if (!TokenRules.refreshesOnRejection(platform) || refreshToken == null) {
          connection.rollback();
          return new NotRefreshable(platform + " has no refresh token for this account");
        }
        return store(connection, accountId, row, refresh(connection, row, refreshToken));
      }
    }
  }

  /**
   * Ends the transaction holding the account's row ({@code row}) by the refresh's outcome: a new token is stored
   * (with a rotated refresh token, in the same statement); a definitive rejection moves the account to
   * reauth_required and emits account.reauth_required; anything else leaves the account as it was.
   */
  private Outcome store(Connection connection, String accountId, ResultSet row, Outcome outcome) throws Exception {
    String platform = row.getString("platform");
    if (outcome instanceof Refreshed fresh) {
      try (PreparedStatement update = connection.prepareStatement("update posts.account set access_token = ?,"
          + " refresh_token = coalesce(?, refresh_token), token_expires_at = ?, updated_at = now() where id = ?")) {
        update.setString(1, cipher.encrypt(fresh.accessToken()));
        update.setString(2, fresh.refreshToken() == null ? null : cipher.encrypt(fresh.refreshToken()));
        update.setTimestamp(3, fresh.expiresAt() == null ? null : Timestamp.from(fresh.expiresAt()));
        update.setString(4, accountId);
        update.executeUpdate();
      }
      connection.commit();
      Log.infof("token of %s (%s) refreshed, valid until %s", accountId, platform, fresh.expiresAt());
    } else if (outcome instanceof Rejected rejected) {
      try (PreparedStatement update = connection.prepareStatement(
          "update posts.account set status = 'reauth_required', updated_at = now() where id = ?")) {
        update.setString(1, accountId);
        update.executeUpdate();
      }
      emitReauthRequired(row.getString("workspace_id"), accountId, platform, row.getString("external_id"), rejected.reason());
      connection.commit();
      Log.warnf("account %s (%s) needs to be reconnected: %s", accountId, platform, rejected.reason());
    } else {
      connection.rollback();
      Log.infof("token refresh of %s (%s) failed for now: %s", accountId, platform, outcome);
    }
    return outcome;
  }

  private static final String LOCK_ACCOUNT = "select workspace_id, platform, external_id, access_token, refresh_token,"
      + " token_expires_at, updated_at, platform_fields, dpop_key, oauth_app_id from posts.account where id = ? and status = 'active' for update";

  /** The refresh grant of the account's kind: an atproto OAuth session (it has a DPoP key), or a plain OAuth 2.0 one. */
  private Outcome refresh(Connection connection, ResultSet row, String refreshToken) throws Exception {
    String dpopKey = row.getString("dpop_key");
    if (dpopKey != null) return atproto(connection, json.readTree(row.getString("platform_fields")), cipher.decrypt(dpopKey), refreshToken);
    String platform = row.getString("platform");
    String appId = row.getString("oauth_app_id");
    if (appId == null) return oauth2(platform, refreshToken, deploymentClient(platform));
    Client app = workspaceApp(connection, appId);
    if (app == null) return new Rejected("the workspace's " + platform + " OAuth app " + appId + " the account was connected through was deleted");
    return oauth2(platform, refreshToken, app);
  }

  /** The OAuth client a refresh authenticates as: the one the account's tokens were issued to. */
  record Client(String clientId, String clientSecret) {
    @Override
    public String toString() {
      return "Client[" + clientId + ", secret hidden]";
    }
  }

  /** The deployment's client on the platform (postflow.oauth.<platform>.client-id / client-secret). */
  private Client deploymentClient(String platform) {
    return new Client(client(platform, "client-id").orElse("postflow"), client(platform, "client-secret").filter(secret -> !secret.isBlank()).orElse(null));
  }

  /**
   * A workspace's own app (posts.oauth_app, posts-api's), read at each refresh: a secret the workspace rotated is used
   * at once; null when the app was deleted.
   */
  private Client workspaceApp(Connection connection, String appId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("select client_id, client_secret from posts.oauth_app where id = ?")) {
      select.setString(1, appId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? new Client(rows.getString(1), cipher.decrypt(rows.getString(2))) : null;
      }
    }
  }

  /**
   * atproto OAuth's refresh grant (Bluesky): at the session's token endpoint, with a DPoP proof signed by the
   * account's DPoP key (its tokens are bound to it) and an assertion signed by the client key the session began with,
   * as the spec requires. The refresh token is single use and rotated.
   */
  Outcome atproto(Connection connection, JsonNode fields, String dpopKey, String refreshToken) {
    String tokenEndpoint = fields.path("token_endpoint").asText("");
    String unsafe = tokenEndpoint.isEmpty() ? "no token endpoint" : addressPolicy.whyUnsafe(tokenEndpoint);
    if (unsafe != null) return new Rejected("the session's token endpoint " + tokenEndpoint + " is refused: " + unsafe);
    try {
      Es256Key clientKey = atprotoClientKey(connection, fields.path("client_kid").asText());
      if (clientKey == null) return new Rejected("the client key " + fields.path("client_kid").asText() + " this session began with is gone");
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", refreshToken);
      AtprotoOAuth.authenticate(form, clientKey, fields.path("client_id").asText(), fields.path("auth_server").asText());
      AtprotoOAuth.Answer answer = AtprotoOAuth.post(userNamedServers, tokenEndpoint, form, Es256Key.fromJwk(dpopKey));
      JsonNode body = answer.body();
      if (answer.status() == 200 && body.hasNonNull("access_token")) {
        long expiresIn = body.path("expires_in").asLong(0);
        return new Refreshed(body.path("access_token").asText(), body.hasNonNull("refresh_token") ? body.path("refresh_token").asText() : null,
            expiresIn > 0 ? Instant.now().plusSeconds(expiresIn).truncatedTo(ChronoUnit.SECONDS) : null);
      }
      String reason = answer.status() + " " + answer.error() + " " + body.path("error_description").asText("");
      boolean definitive = "invalid_grant".equals(answer.error()) || "invalid_client".equals(answer.error());
      return definitive ? new Rejected(reason.trim()) : new Transient(reason.trim());
    } catch (AddressPolicy.UnsafeAddressException e) {
      return new Rejected("the session's token endpoint " + tokenEndpoint + " is refused: " + e.getMessage());
    } catch (IOException e) {
      return new Transient("token endpoint unreachable: " + e.getMessage());
    } catch (SQLException e) {
      return new Transient("the client key could not be read: " + e.getMessage());
    }
  }

  /**
   * The client key posts-api made (posts.atproto_client_key), by kid; null when it is gone. Read at each refresh (an
   * account refreshes about once an hour): a key the operator retired is never signed with again.
   */
  private Es256Key atprotoClientKey(Connection connection, String kid) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("select private_jwk from posts.atproto_client_key where kid = ?")) {
      select.setString(1, kid);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Es256Key.fromJwk(cipher.decrypt(rows.getString(1))) : null;
      }
    }
  }

  /**
   * OAuth 2.0 refresh_token grant at the platform's token endpoint, through quarkus-oidc-client (one client per
   * platform, built from configuration). TikTok names its client "client_key", which the OIDC client cannot send:
   * its grant goes by plain HTTP.
   */
  Outcome oauth2(String platform, String refreshToken, Client app) {
    if (platform.equals("tiktok")) return tiktok(refreshToken, app);
    try {
      OidcClient client = oidcClient(platform, app);
      Map<String, String> extra = platform.equals("pinterest") ? Map.of("continuous_refresh", "true") : Map.of();
      Tokens tokens = client.refreshTokens(refreshToken, extra).await().atMost(Duration.ofSeconds(30));
      Long expiresAt = tokens.getAccessTokenExpiresAt();
      return new Refreshed(tokens.getAccessToken(), refreshToken.equals(tokens.getRefreshToken()) ? null : tokens.getRefreshToken(),
          expiresAt == null ? null : Instant.ofEpochSecond(expiresAt));
    } catch (OidcClientException e) {
      String message = String.valueOf(e.getMessage());
      boolean definitive = message.contains("invalid_grant") || message.contains("status: 401") || message.contains("invalid_client");
      return definitive ? new Rejected(message) : new Transient(message);
    } catch (RuntimeException e) {
      return new Transient(String.valueOf(e.getMessage()));
    }
  }

  /** One OIDC client per platform and OAuth client (the deployment's, each workspace app, each secret it had). */
  private OidcClient oidcClient(String platform, Client app) {
    return clients.computeIfAbsent(platform + "\n" + app.clientId() + "\n" + app.clientSecret(), key -> {
      String p = platform;
      String tokenUrl = setting(p, "token-url").orElseGet(() -> defaultTokenUrl(p));
      URI uri = URI.create(tokenUrl);
      OidcClientConfigBuilder builder = new OidcClientConfigBuilder()
          .id("postflow-" + p + "-" + Integer.toHexString(key.hashCode()))
          .clientEnabled(true)
          .authServerUrl(uri.getScheme() + "://" + uri.getAuthority())
          .discoveryEnabled(false)
          .tokenPath(tokenUrl)
          .clientId(app.clientId());
      Method method = client(p, "client-auth").orElse("form").equals("basic") ? Method.BASIC : Method.POST;
      if (app.clientSecret() != null) builder.credentials().clientSecret(app.clientSecret(), method).end();
      return oidcClients.newClient(builder.build()).await().atMost(Duration.ofSeconds(30));
    });
  }

  /** TikTok's refresh grant: form with client_key and client_secret. */
  Outcome tiktok(String refreshToken, Client app) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_key", app.clientId());
    form.put("client_secret", app.clientSecret() == null ? "" : app.clientSecret());
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    String tokenUrl = setting("tiktok", "token-url").orElseGet(() -> defaultTokenUrl("tiktok"));
    return exchange(() -> http.post(tokenUrl, Map.of("Content-Type", "application/x-www-form-urlencoded"), Forms.encode(form)));
  }

  /** Instagram's ig_refresh_token / Threads' th_refresh_token: the long-lived token renews itself for 60 days. */
  Outcome meta(String platform, String accessToken) {
    String base = setting(platform, "token-base-url").orElseGet(() -> platform.equals("threads") ? "https://graph.threads.net" : "https://graph.instagram.com");
    String grant = platform.equals("threads") ? "th_refresh_token" : "ig_refresh_token";
    String url = base + "/refresh_access_token?grant_type=" + grant + "&access_token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8);
    return exchange(() -> http.get(url, Map.of()));
  }

  private interface TokenCall {
    OutboundHttp.Answer send() throws IOException;
  }

  private Outcome exchange(TokenCall call) {
    OutboundHttp.Answer response;
    try {
      response = call.send();
    } catch (IOException e) {
      return new Transient("token endpoint unreachable: " + e.getMessage());
    }
    JsonNode body;
    try {
      body = json.readTree(response.text().isBlank() ? "{}" : response.text());
    } catch (IOException e) {
      body = json.createObjectNode();
    }
    int status = response.status();
    if (status == 200 && body.hasNonNull("access_token")) {
      long expiresIn = body.path("expires_in").asLong(0);
      return new Refreshed(body.path("access_token").asText(), body.hasNonNull("refresh_token") ? body.path("refresh_token").asText() : null,
          expiresIn > 0 ? Instant.now().plusSeconds(expiresIn).truncatedTo(ChronoUnit.SECONDS) : null);
    }
    String error = body.path("error").isTextual() ? body.path("error").asText() : body.path("error").path("code").asText("");
    boolean definitive = "invalid_grant".equals(error) || "190".equals(error)
        || status == 400 && body.path("error").path("code").asInt() == 190 || status == 401 && !"temporarily_unavailable".equals(error);
    String reason = status + " " + (error.isEmpty() ? "" : error + " ") + body.path("error_description").asText(body.path("error").path("message").asText(""));
    return definitive ? new Rejected(reason.trim()) : new Transient(reason.trim());
  }

  private void emitReauthRequired(String workspaceId, String accountId, String platform, String externalId, String reason) throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", accountId);
    data.put("platform", platform);
    data.put("external_id", externalId);
    data.put("status", "reauth_required");
    data.put("reason", reason);
    events.emit(LifecycleEvent.ACCOUNT_REAUTH_REQUIRED, workspaceId, accountId, data);
  }

  private Optional<String> setting(String platform, String name) {
    return config.getOptionalValue("postflow.platforms." + platform + "." + name, String.class);
  }

  /**
   * The platform's OAuth client (client-id, client-secret, client-auth): the same settings posts-api connects with,
   * {@code postflow.oauth.<platform>.*}, so one environment variable names the client for both services
   * ({@code POSTFLOW_OAUTH_X_CLIENT_ID}). The earlier names under {@code postflow.platforms.<platform>.} still work.
   */
  private Optional<String> client(String platform, String name) {
    return config.getOptionalValue("postflow.oauth." + platform + "." + name, String.class).or(() -> setting(platform, name));
  }

  private String defaultTokenUrl(String platform) {
    return switch (platform) {
      case "x" -> setting("x", "base-url").orElse("https://api.x.com") + "/2/oauth2/token";
      case "tiktok" -> setting("tiktok", "base-url").orElse("https://open.tiktokapis.com") + "/v2/oauth/token/";
      case "pinterest" -> setting("pinterest", "base-url").orElse("https://api.pinterest.com") + "/v5/oauth/token";
      case "linkedin" -> "https://www.linkedin.com/oauth/v2/accessToken";
      default -> "https://oauth2.googleapis.com/token";
    };
  }
}
