package dev.postflow.posts.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.posts.messaging.Outbox;
import dev.postflow.posts.oauthapp.OAuthApps;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@ApplicationScoped
public class AccountService {
  /** Every platform of the rules table (event-contract); a deployment enables each one's publisher separately. */
  public static final Set<String> SUPPORTED_PLATFORMS = dev.postflow.contract.platform.PlatformRules.BY_PLATFORM.keySet();

  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject Outbox outbox;
  @Inject io.vertx.mutiny.sqlclient.Pool pool;
  @Inject dev.postflow.contract.net.AddressPolicy addressPolicy;

  /** X's consumer key (API key) for OAuth 1.0a; accounts with a token secret are refused while it is not set. */
  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.oauth.x.consumer-key")
  java.util.Optional<String> xConsumerKey;

  /** The account, and whether it was new (else an account the workspace had was connected again). */
  public record Connected(AccountView account, boolean created) {}

  /**
   * Connects an account. Connecting one the workspace already has (same platform, external id and Mastodon instance) connects
   * that account again: new tokens, active again (after reauth_required, or a disconnect), the same id, so the posts
   * that target it publish again. An advisory lock on the account's key keeps two connects of it from making two.
   */
  @Inject OAuthApps apps;

  /**
   * Connects an account with a token the caller brings (POST /v1/accounts): issued to the app the request names
   * ({@code oauth_app_id}), else to the workspace's active app on the platform, else to the deployment's.
   */
  @WithTransaction
  public Uni<Connected> connect(String workspaceId, ConnectAccountRequest request) {
    if (request == null) return connect(workspaceId, null, null, null, false);
    return apps.forToken(workspaceId, request.platform(), request.oauthAppId())
        .chain(choice -> connect(workspaceId, request, null, choice.app() == null ? null : apps.credentials(choice.app()), choice.missing()));
  }

  /** An account whose tokens came from an OAuth connect through {@code app} (null: the deployment's app). */
  @WithTransaction
  public Uni<Connected> connectThrough(String workspaceId, ConnectAccountRequest request, OAuthApps.Credentials app) {
    return connect(workspaceId, request, null, app, false);
  }

  /**
   * An atproto OAuth session's account (Bluesky): besides the tokens, the session's DPoP key (stored encrypted: its
   * tokens are bound to it) and where the session is refreshed ({@code auth_server}, {@code token_endpoint}, the
   * client key's {@code client_kid}; shown in platform_fields). An app-password connect of the account clears them.
   */
  public record OAuthSession(String dpopKey, Map<String, Object> fields) {}

  @WithTransaction
  public Uni<Connected> connect(String workspaceId, ConnectAccountRequest request, OAuthSession oauth) {
    return connect(workspaceId, request, oauth, null, false);
  }

  /** {@code appMissing}: the request named an app the workspace does not have on the platform. */
  private Uni<Connected> connect(String workspaceId, ConnectAccountRequest request, OAuthSession oauth, OAuthApps.Credentials app, boolean appMissing) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) throw ProblemException.validation(List.of(FieldError.of("platform", "required", "platform is required")));
    if (request.platform() == null || request.platform().isBlank()) {
      errors.add(FieldError.of("platform", "required", "platform is required"));
    } else if (!SUPPORTED_PLATFORMS.contains(request.platform())) {
      errors.add(FieldError.of("platform", "platform_not_supported",
          "'" + request.platform() + "' is not supported yet; supported: " + SUPPORTED_PLATFORMS));
    }
    if (request.externalId() == null || request.externalId().isBlank()) {
      errors.add(FieldError.of("external_id", "required", "external_id (the account's id on the platform) is required"));
    }
    if (request.accessToken() == null || request.accessToken().isBlank()) {
      errors.add(FieldError.of("access_token", "required", "access_token is required"));
    }
    Instant expiresAt = null;
    if (request.expiresAt() != null) {
      try {
        expiresAt = OffsetDateTime.parse(request.expiresAt()).toInstant();
      } catch (DateTimeParseException e) {
        errors.add(FieldError.of("expires_at", "invalid_time", "expires_at must be an RFC 3339 time with an offset"));
      }
    }
    if (request.accessTokenSecret() != null) {
      if (!"x".equals(request.platform())) {
        errors.add(FieldError.of("access_token_secret", "not_for_platform", "access_token_secret is X's OAuth 1.0a token secret; "
            + request.platform() + " takes none"));
      } else if (request.refreshToken() != null) {
        errors.add(FieldError.of("refresh_token", "not_with_oauth1", "an OAuth 1.0a token does not expire and has no refresh token"));
      } else if (app != null ? app.consumerKey() == null : xConsumerKey.isEmpty()) {
        errors.add(FieldError.of("access_token_secret", "oauth1_not_configured", app != null
            ? "OAuth 1.0a requests are signed with the X app's consumer key and secret: set them on the workspace's app " + app.id()
                + " (PUT /v1/oauth-apps/x with consumer_key and consumer_secret)"
            : "OAuth 1.0a requests are signed with the X app's consumer key and secret: set POSTFLOW_OAUTH_X_CONSUMER_KEY and"
                + " POSTFLOW_OAUTH_X_CONSUMER_SECRET (posts-api and publisher-service), or the workspace's own app (PUT /v1/oauth-apps/x)"));
      }
    }
    if (appMissing) {
      errors.add(FieldError.of("oauth_app_id", "oauth_app_not_found", "the workspace has no " + request.platform() + " OAuth app "
          + request.oauthAppId() + " (GET /v1/oauth-apps)"));
    }
    if ("mastodon".equals(request.platform()) && (request.instanceUrl() == null || request.instanceUrl().isBlank())) {
      errors.add(FieldError.of("instance_url", "required", "a Mastodon account needs its instance_url, e.g. https://mastodon.social"));
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);

    Map<String, Object> fields = new LinkedHashMap<>();
    if (request.instanceUrl() != null) fields.put("instance_url", stripSlash(request.instanceUrl()));
    if (request.pdsUrl() != null) fields.put("pds_url", stripSlash(request.pdsUrl()));
    if ("bluesky".equals(request.platform()) && request.pdsUrl() == null) fields.put("pds_url", "https://bsky.social");
    Map<String, Object> sessionFields = oauth == null ? Map.of() : oauth.fields();
    Instant tokenExpiresAt = expiresAt;
    String key = workspaceId + "/" + request.platform() + "/" + request.externalId();
    return dev.postflow.posts.AdvisoryLock.take(key)
        .chain(() -> Account.<Account>list("workspaceId = ?1 and platform = ?2 and externalId = ?3 order by createdAt",
            workspaceId, request.platform(), request.externalId()))
        .chain(existing -> {
          Account account = existing.stream().filter(a -> sameServer(read(a.platformFields), fields)).findFirst().orElse(null);
          boolean created = account == null;
          if (created) {
            account = new Account();
            account.id = Ids.newId("acc");
            account.workspaceId = workspaceId;
            account.platform = request.platform();
            account.externalId = request.externalId();
            account.createdAt = Instant.now();
          }
          account.handle = request.handle() != null ? request.handle() : account.handle;
          account.accessToken = cipher.encrypt(request.accessToken());
          account.refreshToken = cipher.encrypt(request.refreshToken());
          account.tokenSecret = cipher.encrypt(request.accessTokenSecret()); // connecting with OAuth 2.0 again clears it
          account.tokenExpiresAt = tokenExpiresAt;
          Map<String, Object> stored = new LinkedHashMap<>(fields);
          stored.putAll(sessionFields);
          account.platformFields = write(stored);
          account.dpopKey = oauth == null ? null : cipher.encrypt(oauth.dpopKey());
          account.oauthAppId = app == null ? null : app.id();
          account.status = Account.ACTIVE;
          account.updatedAt = Instant.now();
          return account.<Account>persist().map(saved -> new Connected(view(saved), created));
        });
  }

  /**
   * A Mastodon account id is the same account only on the same instance. A Bluesky DID names one account wherever it
   * is hosted (an account moves between PDSes and keeps its DID), so connecting it again (an app password, then OAuth)
   * connects the same account, with the server it gives now.
   */
  private static boolean sameServer(Map<String, Object> stored, Map<String, Object> given) {
    return java.util.Objects.equals(stored.get("instance_url"), given.get("instance_url"));
  }

  @WithSession
  public Uni<List<AccountView>> list(String workspaceId) {
    return Account.<Account>list("workspaceId = ?1 order by id", workspaceId).map(list -> list.stream().map(this::view).toList());
  }

  @WithSession
  public Uni<AccountView> get(String workspaceId, String id) {
    return find(workspaceId, id).map(this::view);
  }

  @WithTransaction
  public Uni<AccountView> disconnect(String workspaceId, String id) {
    return find(workspaceId, id).chain(account -> {
      if (Account.DISCONNECTED.equals(account.status)) return Uni.createFrom().item(view(account));
      account.status = Account.DISCONNECTED;
      account.updatedAt = Instant.now();
      AccountView view = view(account);
      return outbox.lifecycleEvent(dev.postflow.contract.LifecycleEvent.ACCOUNT_DISCONNECTED, workspaceId, account.id, view)
          .replaceWith(view);
    });
  }

  /**
   * The workspace's accounts with these ids (missing ones are simply absent): what a post's checks need of its
   * accounts (id, platform, status, and tokenEndsAt; nothing else is filled in). Read with the plain reactive client,
   * without an ORM session: every POST /v1/posts runs this.
   */
  public Uni<List<Account>> findForPosting(String workspaceId, List<String> ids) {
    if (ids.isEmpty()) return Uni.createFrom().item(List.of());
    return pool.preparedQuery("select id, platform, status, token_expires_at, refresh_token is not null from posts.account"
            + " where workspace_id = $1 and id = any($2)")
        .execute(io.vertx.mutiny.sqlclient.Tuple.of(workspaceId, ids.toArray(String[]::new)))
        .map(rows -> {
          List<Account> found = new ArrayList<>();
          for (io.vertx.mutiny.sqlclient.Row row : rows) {
            Account account = new Account();
            account.id = row.getString("id");
            account.workspaceId = workspaceId;
            account.platform = row.getString("platform");
            account.status = row.getString("status");
            java.time.OffsetDateTime expires = row.getOffsetDateTime(3);
            boolean renewed = dev.postflow.contract.platform.TokenRenewal.automatic(account.platform, row.getBoolean(4));
            account.tokenEndsAt = expires == null || renewed ? null : expires.toInstant();
            found.add(account);
          }
          return found;
        });
  }

  private Uni<Account> find(String workspaceId, String id) {
    return Account.<Account>find("id = ?1 and workspaceId = ?2", id, workspaceId).firstResult().map(account -> {
      if (account == null) throw ProblemException.notFound("account " + id);
      return account;
    });
  }

  /** How long before a token nothing renews ends an account needs attention (publisher-service warns then too). */
  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.tokens.expiry-warning", defaultValue = "P7D")
  java.time.Duration expiryWarning;

  AccountView view(Account account) {
    Map<String, Object> health = new LinkedHashMap<>();
    boolean renewed = dev.postflow.contract.platform.TokenRenewal.automatic(account.platform, account.refreshToken != null);
    boolean ending = Account.ACTIVE.equals(account.status) && !renewed && account.tokenExpiresAt != null
        && account.tokenExpiresAt.isBefore(Instant.now().plus(expiryWarning));
    health.put("status", Account.ACTIVE.equals(account.status) && !ending ? "ok" : "needs_attention");
    if (ending) {
      health.put("reason", "token_expiring");
      health.put("message", "the token " + (account.tokenExpiresAt.isAfter(Instant.now()) ? "expires" : "expired") + " at " + account.tokenExpiresAt
          + " and nothing renews it (no refresh token): connect the account again, or its posts fail as token_invalid");
    } else if (!Account.ACTIVE.equals(account.status)) {
      health.put("reason", account.status);
    }
    return new AccountView(account.id, account.platform, account.externalId, account.handle, account.status,
        account.tokenExpiresAt, health, read(account.platformFields), account.oauthAppId, account.createdAt, account.updatedAt);
  }

  /**
   * A server the account names (Mastodon instance, Bluesky PDS) is called by the publishers: the SSRF guard applies
   * (resolving names blocks, so off the event loop). Runs before {@link #connect}.
   */
  public Uni<Void> checkServerUrls(ConnectAccountRequest request) {
    if (request == null || request.instanceUrl() == null && request.pdsUrl() == null) return Uni.createFrom().voidItem();
    return io.vertx.mutiny.core.Vertx.currentContext().executeBlocking(Uni.createFrom().item(() -> {
      List<FieldError> errors = new ArrayList<>();
      for (String[] field : new String[][] {{"instance_url", request.instanceUrl()}, {"pds_url", request.pdsUrl()}}) {
        if (field[1] == null) continue;
        String unsafe = addressPolicy.whyUnsafe(field[1]);
        if (unsafe != null) errors.add(FieldError.of(field[0], "unsafe_url", field[0] + ": " + unsafe));
      }
      return errors;
    })).map(errors -> {
      if (!errors.isEmpty()) throw ProblemException.validation(errors);
      return null;
    });
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> read(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
