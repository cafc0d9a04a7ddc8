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
 * and 3-hour limits, Bluesky's hourly and daily points, YouTube's daily uploads, …), as configuration:
 * {@code postflow.platforms.<name>.quota=50/PT24H} (several comma-separated). Counted from the publish ledger
 * (publishes of the account the platform answered within the window), checked before the platform is called, so we
 * wait for a free slot rather than get the account restricted.
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

  /** The account may publish now (null), or the first moment a slot frees and the quota that binds. */
  public record Wait(Instant until, Quota quota) {}

  @Inject Pool pool;
  @Inject Config config;

  private final Map<String, List<Quota>> byPlatform = new ConcurrentHashMap<>();

  public List<Quota> of(String platform) {
    return byPlatform.computeIfAbsent(platform, p -> {
      List<Quota> quotas = new ArrayList<>();
      config.getOptionalValue("postflow.platforms." + p + ".quota", String.class).ifPresent(text -> {
        for (String one : text.split(",")) if (!one.isBlank()) quotas.add(Quota.parse(one));
      });
      return List.copyOf(quotas);
    });
  }

  /** null when every quota of the platform has room for this account's next publish. */
  public Uni<Wait> check(String platform, String accountId, String requestId) {
    List<Quota> quotas = of(platform);
    if (quotas.isEmpty()) return Uni.createFrom().nullItem();
    Duration longest = quotas.stream().map(Quota::window).max(Duration::compareTo).orElseThrow();
    // Publishes that went out (or may have: in doubt) within the longest window, newest first; this request excluded.
    // A finished publish counts from the platform's answer (finished_at), not from our ledger row: the call comes later
    // by a varying time (cold connection, token refresh, upload) and the platform counts when it received it (from
    // started_at, Mastodon got two posts 1.7 s apart under 2 per 2 s). One in flight counts from its start. The extra
    // hour on the started_at bound (the index's column) covers calls and retries that finished long after they began.
    return pool.preparedQuery("""
            select coalesce(finished_at, started_at) as counted_at from publisher.publish_ledger
            where account_id = $1 and request_id <> $2 and state in ('published', 'unconfirmed', 'started')
              and started_at > now() - make_interval(secs => $3) - interval '1 hour'
              and coalesce(finished_at, started_at) > now() - make_interval(secs => $3)
            order by counted_at desc""")
        .execute(Tuple.of(accountId, requestId, (double) longest.toSeconds()))
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
              if (binding == null || free.isAfter(binding.until())) binding = new Wait(free, quota);
            }
          }
          return binding;
        });
  }

}
