package dev.postflow.posts.oauthapp;

import dev.postflow.contract.Ids;
import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.posts.account.Account;
import dev.postflow.posts.messaging.Outbox;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workspaces' own OAuth apps ("bring your own app"): a workspace that registered its own app on a platform (its
 * brand on the consent screen, its own rate limits and quotas, X's paid tiers) connects its accounts through it
 * instead of the deployment's. Accounts keep the app they were connected through, and publisher-service refreshes
 * their tokens with it (a platform binds tokens to the client that got them): replacing the app (another client id)
 * keeps the old one, inactive, for them. Mastodon (each instance registers us) and Bluesky (client metadata) have
 * no app to bring.
 */
@ApplicationScoped
public class OAuthApps {
  /** The platforms whose connect is an OAuth 2.0 authorization-code flow with a registered client. */
  public static final Set<String> PLATFORMS = Set.of("x", "linkedin", "pinterest", "tiktok", "youtube", "google_business", "facebook", "instagram",
      "threads");

  @Inject SecretCipher cipher;
  @Inject Outbox outbox;
  @Inject Pool pool;

  /** Created (a new client id), or saved over the app with the same client id (its secrets rotated, active again). */
  public record Saved(OAuthAppView app, boolean created) {}

  /** An app's credentials, decrypted, for a connect or a token exchange. */
  public record Credentials(String id, String clientId, String clientSecret, String consumerKey, String consumerSecret) {}

  /**
   * Sets the workspace's app on {@code platform}: the app new connects go through from now on. The same client id
   * again updates that app's secrets (accounts connected through it keep working, with the new secret at their next
   * refresh); another client id makes a new app and leaves the old one, inactive, to its accounts.
   */
  @WithTransaction
  public Uni<Saved> put(String workspaceId, String platform, OAuthAppRequest request) {
    check(platform, request);
    Instant now = Instant.now();
    return dev.postflow.posts.AdvisoryLock.take("oauth_app/" + workspaceId + "/" + platform)
        .chain(() -> OAuthApp.<OAuthApp>find("workspaceId = ?1 and platform = ?2 and clientId = ?3", workspaceId, platform, request.clientId()).<OAuthApp>firstResult())
        .chain((OAuthApp existing) -> OAuthApp.update("active = false, updatedAt = ?1 where workspaceId = ?2 and platform = ?3 and active = true and clientId <> ?4",
                now, workspaceId, platform, request.clientId())
            .chain(() -> {
              OAuthApp app = existing;
              if (app == null) {
                app = new OAuthApp();
                app.id = Ids.newId("app");
                app.workspaceId = workspaceId;
                app.platform = platform;
                app.clientId = request.clientId();
                app.createdAt = now;
              }
              app.clientSecret = cipher.encrypt(blankToNull(request.clientSecret()));
              app.consumerKey = blankToNull(request.consumerKey());
              app.consumerSecret = cipher.encrypt(blankToNull(request.consumerSecret()));
              app.active = true;
              app.updatedAt = now;
              return app.<OAuthApp>persist();
            })
            .chain(app -> accountCounts(workspaceId).map(counts -> new Saved(view(app, counts), existing == null))));
  }

  @WithSession
  public Uni<List<OAuthAppView>> list(String workspaceId) {
    return OAuthApp.<OAuthApp>list("workspaceId = ?1 order by platform, active desc, createdAt desc", workspaceId)
        .chain(apps -> accountCounts(workspaceId).map(counts -> apps.stream().map(app -> view(app, counts)).toList()));
  }

  @WithSession
  public Uni<OAuthAppView> get(String workspaceId, String platform, String id) {
    return find(workspaceId, platform, id).chain(app -> accountCounts(workspaceId).map(counts -> view(app, counts)));
  }

  /**
   * Deletes an app. Its accounts' tokens can no longer be refreshed (nor X's OAuth 1.0a requests signed): unless
   * {@code force}, refused while active accounts use it; with force they become reauth_required at once (with
   * account.reauth_required), to be connected again. Deleting the active app sends new connects back to the
   * deployment's app.
   */
  @WithTransaction
  public Uni<Void> delete(String workspaceId, String platform, String id, boolean force) {
    return find(workspaceId, platform, id).chain(app -> Account.<Account>list("oauthAppId = ?1 and status = ?2", id, Account.ACTIVE).chain(accounts -> {
      if (!accounts.isEmpty() && !force) {
        throw new ProblemException(409, "app_in_use", "Accounts use the app", accounts.size() + " active account(s) were connected through "
            + app.platform + " app " + app.clientId + " and refresh their tokens with it; deleting it means connecting them again."
            + " Send ?force=true to delete it anyway");
      }
      Uni<Void> chain = Uni.createFrom().voidItem();
      for (Account account : accounts) {
        account.status = Account.REAUTH_REQUIRED;
        account.updatedAt = Instant.now();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", account.id);
        data.put("platform", account.platform);
        data.put("external_id", account.externalId);
        data.put("status", Account.REAUTH_REQUIRED);
        data.put("reason", "the " + app.platform + " app " + app.clientId + " the account was connected through was deleted");
        chain = chain.chain(() -> outbox.lifecycleEvent(LifecycleEvent.ACCOUNT_REAUTH_REQUIRED, workspaceId, account.id, data));
      }
      return chain.chain(() -> app.delete());
    }));
  }

  /**
   * The app a token brought with POST /v1/accounts belongs to: the one named ({@code id}; null and {@code missing} when
   * the workspace has no such app on the platform), else the workspace's active app on the platform (null: the
   * deployment's). Runs in the caller's session.
   */
  public record Choice(OAuthApp app, boolean missing) {}

  public Uni<Choice> forToken(String workspaceId, String platform, String id) {
    if (platform == null) return Uni.createFrom().item(new Choice(null, false));
    if (id != null) {
      return OAuthApp.<OAuthApp>find("id = ?1 and workspaceId = ?2 and platform = ?3", id, workspaceId, platform).firstResult()
          .map(app -> new Choice(app, app == null));
    }
    return OAuthApp.<OAuthApp>find("workspaceId = ?1 and platform = ?2 and active = true", workspaceId, platform).firstResult()
        .map(app -> new Choice(app, false));
  }

  /** The workspace's active app on the platform, or null (the deployment's). Blocking: the connect flow's. */
  public Credentials active(String workspaceId, String platform) {
    return read("workspace_id = $1 and platform = $2 and active", Tuple.of(workspaceId, platform));
  }

  /** The app with this id, active or not; null when it was deleted. Blocking. */
  public Credentials byId(String id) {
    return read("id = $1", Tuple.of(id));
  }

  public Credentials credentials(OAuthApp app) {
    return new Credentials(app.id, app.clientId, cipher.decrypt(app.clientSecret), app.consumerKey, cipher.decrypt(app.consumerSecret));
  }

  private Credentials read(String where, Tuple arguments) {
    var rows = pool.preparedQuery("select id, client_id, client_secret, consumer_key, consumer_secret from posts.oauth_app where " + where)
        .execute(arguments).await().atMost(Duration.ofSeconds(10));
    if (rows.size() == 0) return null;
    Row row = rows.iterator().next();
    return new Credentials(row.getString(0), row.getString(1), cipher.decrypt(row.getString(2)), row.getString(3), cipher.decrypt(row.getString(4)));
  }

  private static void check(String platform, OAuthAppRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (!PLATFORMS.contains(platform)) {
      String why = "mastodon".equals(platform) ? "each Mastodon instance registers our app itself at connect time"
          : "bluesky".equals(platform) ? "Bluesky's OAuth client is this deployment's client metadata document, not a registered app"
          : "apps are set for " + new java.util.TreeSet<>(PLATFORMS);
      errors.add(FieldError.of("platform", "oauth_app_not_supported", "no OAuth app to bring for '" + platform + "': " + why));
    }
    if (request == null || request.clientId() == null || request.clientId().isBlank()) {
      errors.add(FieldError.of("client_id", "required", "client_id is the app's client id on " + platform));
    } else if (request.clientId().length() > 500) {
      errors.add(FieldError.of("client_id", "too_long", "client_id is at most 500 characters"));
    }
    if (request != null) {
      boolean key = request.consumerKey() != null && !request.consumerKey().isBlank();
      boolean secret = request.consumerSecret() != null && !request.consumerSecret().isBlank();
      if ((key || secret) && !"x".equals(platform)) {
        errors.add(FieldError.of(key ? "consumer_key" : "consumer_secret", "not_for_platform", "consumer_key and consumer_secret are X's OAuth 1.0a app keys"));
      } else if (key != secret) {
        errors.add(FieldError.of(key ? "consumer_secret" : "consumer_key", "required", "consumer_key and consumer_secret go together"));
      }
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
  }

  private Uni<OAuthApp> find(String workspaceId, String platform, String id) {
    return OAuthApp.<OAuthApp>find("id = ?1 and workspaceId = ?2 and platform = ?3", id, workspaceId, platform).firstResult().map(app -> {
      if (app == null) throw ProblemException.notFound(platform + " OAuth app " + id);
      return app;
    });
  }

  /** How many active accounts each of the workspace's apps has. */
  private Uni<Map<String, Long>> accountCounts(String workspaceId) {
    return Panache.getSession().chain(session -> session.createNativeQuery("select oauth_app_id, count(*) from posts.account"
            + " where workspace_id = ?1 and oauth_app_id is not null and status = 'active' group by oauth_app_id", Object[].class)
        .setParameter(1, workspaceId).getResultList())
        .map(rows -> {
          Map<String, Long> counts = new HashMap<>();
          for (Object[] row : rows) counts.put((String) row[0], ((Number) row[1]).longValue());
          return counts;
        });
  }

  private static OAuthAppView view(OAuthApp app, Map<String, Long> counts) {
    return new OAuthAppView(app.id, app.platform, app.clientId, app.clientSecret != null, app.consumerKey, app.consumerSecret != null, app.active,
        counts.getOrDefault(app.id, 0L), app.createdAt, app.updatedAt);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
