package dev.postflow.posts.post;

import dev.postflow.contract.Ids;
import dev.postflow.contract.WorkerLoop;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reposts: a post created (or edited) with {@code "repost": {"times": n, "every_days": d}} is, once published, followed
 * by a repeat: a new scheduled post with the same content and targets (its text the first of {@code texts}, when
 * given), d days after the first went out (in the post's time zone, so 09:00 stays 09:00 across a clock change),
 * carrying n - 1 repeats of its own. Each repeat is an ordinary post (edit it, cancel it to end the chain), with
 * {@code repost_of} naming the first post of its chain; the post it follows names it in {@code reposted_as}.
 *
 * <p>A round every {@code postflow.reposts.interval} locks the published (or partially published) posts with a repeat
 * still to make, skipping those another replica holds, and makes each repeat in the transaction that records it on
 * its predecessor: one repeat per post, whatever crashes. A post that failed, was cancelled or is unconfirmed makes
 * none (unconfirmed: until it is found published). The round reads the partial index entry of every post with a repeat
 * still to make, those not yet published included.
 */
@ApplicationScoped
public class Reposts {
  static final int BATCH = 100;

  @Inject PostLifecycle lifecycle;
  @Inject PostJson postJson;
  @Inject dev.postflow.posts.messaging.OutboxRelay relay;

  @ConfigProperty(name = "postflow.reposts.interval")
  Duration interval;

  private WorkerLoop loop;

  void start(@Observes StartupEvent event) {
    loop = new WorkerLoop("reposts", 1, () -> {
      int made = makeRepeats();
      if (made > 0) {
        relay.wake(); // the repeats' schedule requests and post.scheduled events are in the outbox
        Log.infof("scheduled %d reposts", made);
      }
      return made == BATCH ? 0 : interval.toMillis();
    });
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    loop.stop(Duration.ofSeconds(5));
  }

  /** Makes the next repeat of up to {@link #BATCH} published posts that have one to make (it runs every interval anyway). */
  public int makeRepeats() throws Exception {
    try {
      return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::makeRepeatsInTransaction));
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private Uni<Integer> makeRepeatsInTransaction() {
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            select * from posts.post
             where repost_times > 0 and reposted_as is null and status in ('published', 'partial')
             order by id limit :limit for update skip locked""", Post.class).setParameter("limit", BATCH).getResultList())
        .chain(posts -> {
          Uni<Void> made = Uni.createFrom().voidItem();
          for (Post post : posts) made = made.chain(() -> repeat(post));
          return made.map(ignored -> posts.size());
        });
  }

  private Uni<Void> repeat(Post post) {
    return PostLifecycle.targetsOf(post).chain(targets -> {
      Instant now = Instant.now();
      Post next = new Post();
      next.id = Ids.newId("post");
      next.workspaceId = post.workspaceId;
      List<String> texts = post.repostTexts == null ? null : postJson.list(post.repostTexts);
      next.text = texts == null ? post.text : texts.get(0);
      next.mediaIds = post.mediaIds;
      next.platformOptions = post.platformOptions;
      next.timeZone = post.timeZone;
      next.scheduledAt = nextTime(post, now);
      next.externalId = post.externalId;
      next.metadata = post.metadata;
      next.repostTimes = post.repostTimes > 1 ? post.repostTimes - 1 : null;
      next.repostEveryDays = next.repostTimes == null ? null : post.repostEveryDays;
      next.repostTexts = next.repostTimes == null || texts == null ? null : postJson.write(Repost.rotated(texts));
      next.repostOf = post.repostOf != null ? post.repostOf : post.id;
      next.createdAt = now;
      next.updatedAt = now;
      List<PostTarget> nextTargets = new ArrayList<>();
      for (PostTarget target : targets) {
        PostTarget copy = new PostTarget();
        copy.id = Ids.newId("tgt");
        copy.postId = next.id;
        copy.position = target.position;
        copy.accountId = target.accountId;
        copy.platform = target.platform;
        copy.text = target.text;
        copy.mediaIds = target.mediaIds;
        copy.platformOptions = target.platformOptions;
        copy.updatedAt = now;
        nextTargets.add(copy);
      }
      post.repostedAs = next.id;
      post.updatedAt = now;
      return lifecycle.create(next, nextTargets, PostValidator.Mode.SCHEDULED, false, false).replaceWithVoid();
    });
  }

  /**
   * every_days after the post went out: its scheduled time, or when it was published, if earlier (published now, or
   * without a time); counted in its time zone. At least a minute from now, should this round come that late.
   */
  static Instant nextTime(Post post, Instant now) {
    Instant out = post.publishedAt == null ? now : post.publishedAt;
    if (post.scheduledAt != null && post.scheduledAt.isBefore(out)) out = post.scheduledAt;
    ZoneId zone = post.timeZone == null ? ZoneOffset.UTC : ZoneId.of(post.timeZone);
    Instant next = out.atZone(zone).plusDays(post.repostEveryDays).toInstant();
    Instant earliest = now.plus(Duration.ofMinutes(1));
    return next.isBefore(earliest) ? earliest : next;
  }
}
