package dev.postflow.publisher.publish;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * Each platform's published publishing quotas per account (Instagram's rolling 24 h cap, Threads' 250, X's per-15-minute
 * and 3-hour limits, Bluesky's hourly and daily points, …), as configuration:
 * {@code postflow.platforms.<name>.quota=50/PT24H} (several comma-separated); and quotas of the platform app this
 * deployment's client credentials belong to, shared by all its accounts (YouTube's daily uploads per Google Cloud
 * project): {@code postflow.platforms.<name>.app-quota=100/P1D}. Counted from the publish ledger (publishes the platform
 * answered within the window, of the account or of all the platform's accounts), checked before the platform is
 * called, so we wait for a free slot rather than get the account restricted or the app's calls refused.
 *
 * <p>Two publishes checked at the same moment each see the other's ledger row (it is written before the check), so
 * together they never exceed a quota; at its very edge both may wait for a slot only one of them needed.
 */
@ApplicationScoped
public class ProviderQuotas {
  /** At most {@code count} publishes per {@code window}. */
  public record Quota(int count, Duration window) {
    static Quota parse(String text) {
      String[] parts = text.trim().split("/");
      return new Quota(Integer.parseInt(parts[0].trim()), Duration.parse(parts[1].trim()));
    }

    @Override
    public String toString() {
      return count + " per " + window.toString().substring(2).toLowerCase();
    }
  }

  /** Whom a quota limits: one account, or every account of the platform app. */
  public enum Scope {
    ACCOUNT("for this account", "account_id"), APP("for all accounts of this deployment's app", "platform");

    public final String description;
    private final String column;

    Scope(String description, String column) {
      this.description = description;
      this.column = column;
    }
  }

  /** The account may publish now (null), or the first moment a slot frees, the quota that binds and whom it limits. */
  public record Wait(Instant until, Quota quota, Scope scope) {}

  @Inject Pool pool;
  @Inject Config config;

  private final Map<String, List<Quota>> configured = new ConcurrentHashMap<>();

  public List<Quota> of(String platform, Scope scope) {
    String key = "postflow.platforms." + platform + (scope == Scope.APP ? ".app-quota" : ".quota");
    return configured.computeIfAbsent(key, k -> {
      List<Quota> quotas = new ArrayList<>();
      config.getOptionalValue(k, String.class).ifPresent(text -> {
        for (String one : text.split(",")) if (!one.isBlank()) quotas.add(Quota.parse(one));
      });
      return List.copyOf(quotas);
    });
  }

  /** null when every quota of the platform, the account's and the app's, has room for this account's next publish. */
  public Uni<Wait> check(String platform, String accountId, String requestId) {
    // The two counts do not depend on each other: asked together (one wait, not two, where both are configured).
    return Uni.combine().all().unis(binding(Scope.ACCOUNT, accountId, requestId, of(platform, Scope.ACCOUNT)),
            binding(Scope.APP, platform, requestId, of(platform, Scope.APP)))
        .with((account, app) -> account == null || app != null && app.until().isAfter(account.until()) ? app : account);
  }

  private Uni<Wait> binding(Scope scope, String whose, String requestId, List<Quota> quotas) {
    if (quotas.isEmpty()) return Uni.createFrom().nullItem();
    Duration longest = quotas.stream().map(Quota::window).max(Duration::compareTo).orElseThrow();
    int most = quotas.stream().mapToInt(Quota::count).max().orElseThrow();
    // Publishes that went out (or may have: in doubt) within the longest window, newest first; this request excluded.
    // A finished publish counts from the platform's answer (finished_at), not from our ledger row: the call comes later
    // by a varying time (cold connection, token refresh, upload) and the platform counts when it received it (from
    // started_at, Mastodon got two posts 1.7 s apart under 2 per 2 s). One in flight counts from its start. The extra
    // hour on the started_at bound (the index's column) covers calls and retries that finished long after they began.
    // Only the newest `most` matter: a quota of n binds from its n-th newest publish.
    return pool.preparedQuery("select coalesce(finished_at, started_at) as counted_at from publisher.publish_ledger"
            + " where " + scope.column + " = $1 and request_id <> $2 and state in ('published', 'unconfirmed', 'started')"
            + " and started_at > now() - make_interval(secs => $3) - interval '1 hour'"
            + " and coalesce(finished_at, started_at) > now() - make_interval(secs => $3)"
            + " order by counted_at desc limit $4")
        .execute(Tuple.of(whose, requestId, (double) longest.toSeconds(), most))
        .map(rows -> {
          List<Instant> counted = new ArrayList<>();
          for (Row row : rows) counted.add(row.getOffsetDateTime(0).toInstant());
          Instant now = Instant.now();
          Wait binding = null;
          for (Quota quota : quotas) {
            List<Instant> inWindow = counted.stream().filter(t -> t.isAfter(now.minus(quota.window()))).toList();
            if (inWindow.size() >= quota.count()) {
              // The slot frees when the oldest publish that still counts leaves the window.
              Instant free = inWindow.get(quota.count() - 1).plus(quota.window());
              if (binding == null || free.isAfter(binding.until())) binding = new Wait(free, quota, scope);
            }
          }
          return binding;
        });
  }
}
