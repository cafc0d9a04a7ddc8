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

  /**
   * Whom a quota limits and what it counts: one account's posts ({@code .quota}), every account of the platform app
   * ({@code .app-quota}): the deployment's app, or a workspace's own app for the accounts connected through it (its
   * own Google Cloud project has its own quota, the same size unless configured otherwise), or the posts of one
   * account a platform counts apart from the others: Threads' replies ({@code .reply-quota}, 1,000 a day) and
   * Facebook's reels ({@code .reel-quota}, 30 a day per Page). Both are the ledger's {@code replies} column
   * ({@link #countedApart}). {@code filter}: the ledger rows it counts, $1 being whose.
   */
  public enum Scope {
    ACCOUNT("for this account", "account_id = $1", "units", ".quota"),
    APP("for all accounts of this deployment's app",
        "platform = $1 and account_id not in (select id from posts.account where platform = $1 and oauth_app_id is not null)", "units", ".app-quota"),
    OWN_APP("for all accounts of the workspace's own app", "account_id in (select id from posts.account where oauth_app_id = $1)", "units",
        ".app-quota"),
    REPLIES("for this account's replies", "account_id = $1", "replies", ".reply-quota"),
    REELS("for this Page's reels", "account_id = $1", "replies", ".reel-quota");

    public final String description;
    private final String filter;
    private final String counted;
    private final String key;

    Scope(String description, String filter, String counted, String key) {
      this.description = description;
      this.filter = filter;
      this.counted = counted;
      this.key = key;
    }
  }

  /** The account may publish now (null), or the first moment a slot frees, the quota that binds and whom it limits. */
  public record Wait(Instant until, Quota quota, Scope scope) {}

  @Inject Pool pool;
  @Inject Config config;

  private final Map<String, List<Quota>> configured = new ConcurrentHashMap<>();

  public List<Quota> of(String platform, Scope scope) {
    String key = "postflow.platforms." + platform + scope.key;
    return configured.computeIfAbsent(key, k -> {
      List<Quota> quotas = new ArrayList<>();
      config.getOptionalValue(k, String.class).ifPresent(text -> {
        for (String one : text.split(",")) if (!one.isBlank()) quotas.add(Quota.parse(one));
      });
      return List.copyOf(quotas);
    });
  }

  /** Platforms whose thread replies do not count against the publishing quota (Threads counts replies apart: 1,000 a day). */
  private static final java.util.Set<String> REPLIES_COUNTED_APART = java.util.Set.of("threads");

  /**
   * How many of a publish's posts the platform counts apart from the others (the ledger's {@code replies}): on
   * Threads a thread's replies, and the post itself where it replies to another ({@code reply_to}); on Facebook a
   * reel; 0 elsewhere.
   */
  public static int countedApart(dev.postflow.contract.PublishRequest request) {
    if ("facebook".equals(request.platform())) return isReel(request) ? 1 : 0;
    if (!REPLIES_COUNTED_APART.contains(request.platform())) return 0;
    return dev.postflow.contract.platform.ContentCheck.threadPosts(request.platformOptions()).size() + (isReply(request) ? 1 : 0);
  }

  private static boolean isReply(dev.postflow.contract.PublishRequest request) {
    return dev.postflow.contract.platform.ContentCheck.replyTo(request.platformOptions()) != null;
  }

  private static boolean isReel(dev.postflow.contract.PublishRequest request) {
    return request.platformOptions() != null && "REELS".equals(request.platformOptions().get("video_type"))
        && request.mediaOrEmpty().stream().anyMatch(dev.postflow.contract.MediaRef::isVideo);
  }

  /**
   * How many posts a publish makes as the platform's quota counts them: the post, and a thread's replies where the
   * platform counts them with posts (X's and Mastodon's limits count statuses, Bluesky's each record created).
   */
  public static int units(dev.postflow.contract.PublishRequest request) {
    if (REPLIES_COUNTED_APART.contains(request.platform())) return isReply(request) ? 0 : 1;
    return 1 + dev.postflow.contract.platform.ContentCheck.threadPosts(request.platformOptions()).size();
  }

  /**
   * null when every quota of the platform, the account's and the app's, has room for this publish's {@code units}
   * posts (a thread's replies count: {@link #units}). {@code targetId}'s own earlier attempts are not counted: a target
   * counts once, as its whole thread, whatever its attempts (a retry continues a thread, it does not post it again).
   * {@code oauthAppId}: the workspace's own app the account was connected through, whose app quota it counts against
   * (null: the deployment's).
   */
  public Uni<Wait> check(String platform, String accountId, String oauthAppId, String targetId, int units, int apart) {
    // The counts do not depend on each other: asked together (one wait, not several, where more are configured).
    return Uni.combine().all().unis(binding(Scope.ACCOUNT, accountId, targetId, units, of(platform, Scope.ACCOUNT)),
            oauthAppId == null ? binding(Scope.APP, platform, targetId, units, of(platform, Scope.APP))
                : binding(Scope.OWN_APP, oauthAppId, targetId, units, of(platform, Scope.OWN_APP)),
            apart == 0 ? Uni.createFrom().<Wait>nullItem() : binding(Scope.REPLIES, accountId, targetId, apart, of(platform, Scope.REPLIES)),
            apart == 0 ? Uni.createFrom().<Wait>nullItem() : binding(Scope.REELS, accountId, targetId, apart, of(platform, Scope.REELS)))
        .with(waits -> {
          Wait latest = null;
          for (Object each : waits) {
            Wait wait = (Wait) each;
            if (wait != null && (latest == null || wait.until().isAfter(latest.until()))) latest = wait;
          }
          return latest;
        });
  }

  private Uni<Wait> binding(Scope scope, String whose, String targetId, int units, List<Quota> quotas) {
    if (quotas.isEmpty()) return Uni.createFrom().nullItem();
    Duration longest = quotas.stream().map(Quota::window).max(Duration::compareTo).orElseThrow();
    int most = quotas.stream().mapToInt(Quota::count).max().orElseThrow();
    // Targets whose posts went out (or may have: in doubt; or in part: a thread stopped at a reply, a refused comment)
    // within the longest window, newest first; this target excluded. Each target counts once, from its latest attempt,
    // with its units (the whole thread: a stopped thread's retry continues it and counts nothing more).
    // A finished publish counts from the platform's answer (finished_at), not from our ledger row: the call comes later
    // by a varying time (cold connection, token refresh, upload) and the platform counts when it received it (from
    // started_at, Mastodon got two posts 1.7 s apart under 2 per 2 s). One in flight counts from its start. The extra
    // hour on the started_at bound (the index's column) covers calls and retries that finished long after they began.
    // Only the newest targets up to `most` units matter: a quota of n binds from its n-th newest post.
    return pool.preparedQuery("select counted_at, units from ("
            + " select counted_at, units, sum(units) over (order by counted_at desc rows unbounded preceding) as running from ("
            + "  select max(coalesce(finished_at, started_at)) as counted_at, max(" + scope.counted + ") as units"
            + "  from publisher.publish_ledger"
            + "  where " + scope.filter + " and target_id <> $2"
            + "  and state in ('published', 'partly_published', 'unconfirmed', 'started')"
            + "  and started_at > now() - make_interval(secs => $3) - interval '1 hour'"
            + "  and coalesce(finished_at, started_at) > now() - make_interval(secs => $3)"
            + "  group by target_id) per_target) newest"
            + " where running - units < $4 order by counted_at desc")
        .execute(Tuple.of(whose, targetId, (double) longest.toSeconds(), most))
        .map(rows -> {
          List<Instant> at = new ArrayList<>();
          List<Integer> posts = new ArrayList<>();
          for (Row row : rows) {
            at.add(row.getOffsetDateTime(0).toInstant());
            posts.add(row.getInteger(1));
          }
          Instant now = Instant.now();
          Wait binding = null;
          for (Quota quota : quotas) {
            Instant free = freeAt(at, posts, units, quota, now);
            if (free != null && (binding == null || free.isAfter(binding.until()))) binding = new Wait(free, quota, scope);
          }
          return binding;
        });
  }

  /**
   * When {@code units} more posts fit in {@code quota}, given the counted posts (newest first, each with its units);
   * null when they fit now. The slot frees when enough of the oldest posts that still count have left the window.
   */
  static Instant freeAt(List<Instant> at, List<Integer> posts, int units, Quota quota, Instant now) {
    int inWindow = 0;
    int last = -1;
    for (int i = 0; i < at.size(); i++) {
      if (!at.get(i).isAfter(now.minus(quota.window()))) break;
      inWindow += posts.get(i);
      last = i;
    }
    // A thread longer than the quota holds at all goes once the window is empty (waiting longer would never help).
    int over = inWindow + Math.min(units, quota.count()) - quota.count();
    if (over <= 0) return null;
    int leaving = 0;
    for (int i = last; i >= 0; i--) {
      leaving += posts.get(i);
      if (leaving >= over) return at.get(i).plus(quota.window());
    }
    return now.plus(quota.window());
  }
}
