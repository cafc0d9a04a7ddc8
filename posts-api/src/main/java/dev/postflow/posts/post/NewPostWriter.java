package dev.postflow.posts.post;

import dev.postflow.posts.messaging.OutboxMessage;
import dev.postflow.contract.Columns;
import dev.postflow.contract.StatementBatcher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stores new drafts and scheduled posts (with their targets and outbox messages) for requests without an
 * Idempotency-Key. Requests that arrive while earlier inserts run share the next statement: one INSERT of all their
 * posts, targets and outbox messages, atomic because it is a single statement (group commit: one round trip and one
 * WAL flush for many posts). Each request is answered only after its statement committed; a statement that fails
 * is split and every post is tried alone, so one bad row fails only its own request. With little traffic a batch
 * holds one post and nothing waits.
 */
@ApplicationScoped
public class NewPostWriter {
  private static final String INSERT = """
      with new_post as (
        insert into posts.post (id, workspace_id, status, version, schedule_version, text, media_ids, platform_options,
                                scheduled_at, time_zone, external_id, metadata, created_at, updated_at, repost_times, repost_every_days,
                                repost_texts)
        select * from unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::text[], $7::text[], $8::text[],
                             $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
                             $15::int4[], $16::int4[], $17::text[])),
      new_target as (
        insert into posts.post_target (id, post_id, position, account_id, platform, status, text, media_ids, platform_options, updated_at,
                                       content_key)
        select * from unnest($18::text[], $19::text[], $20::int4[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[],
                             $26::text[], $27::timestamptz[], $28::text[]))
      """ + OutboxMessage.insertBatch(29);

  @Inject Pool pool;

  @ConfigProperty(name = "postflow.posts.insert-batch-size")
  int batchSize;

  @ConfigProperty(name = "postflow.posts.inserts-in-flight")
  int maxInFlight;

  /** A new post with everything its insert writes. */
  public record NewPost(Post post, List<PostTarget> targets, List<OutboxMessage> messages) {}

  private StatementBatcher<NewPost, Boolean> inserts;

  @PostConstruct
  void batcher() {
    inserts = new StatementBatcher<>("new posts", batchSize, maxInFlight,
        posts -> pool.preparedQuery(INSERT).execute(parameters(posts)).map(ignored -> Collections.nCopies(posts.size(), Boolean.TRUE)));
  }

  /** Completes once the post is committed. */
  public Uni<Void> insert(NewPost post) {
    return inserts.submit(post).replaceWithVoid();
  }

  private static Tuple parameters(List<NewPost> posts) {
    int targetCount = posts.stream().mapToInt(p -> p.targets().size()).sum();
    Columns post = new Columns(17, posts.size());
    Columns target = new Columns(11, targetCount);
    for (NewPost p : posts) {
      Post row = p.post();
      post.add(row.id, row.workspaceId, row.status, row.version, row.scheduleVersion, row.text, row.mediaIds, row.platformOptions,
          row.scheduledAt, row.timeZone, row.externalId, row.metadata, row.createdAt, row.updatedAt, row.repostTimes, row.repostEveryDays,
          row.repostTexts);
      for (PostTarget t : p.targets()) {
        target.add(t.id, t.postId, t.position, t.accountId, t.platform, t.status, t.text, t.mediaIds, t.platformOptions, t.updatedAt,
            t.contentKey);
      }
    }
    Tuple tuple = Tuple.tuple();
    post.addTo(tuple, String.class, String.class, String.class, Long.class, Long.class, String.class, String.class, String.class,
        OffsetDateTime.class, String.class, String.class, String.class, OffsetDateTime.class, OffsetDateTime.class, Integer.class, Integer.class,
        String.class);
    target.addTo(tuple, String.class, String.class, Integer.class, String.class, String.class, String.class, String.class, String.class,
        String.class, OffsetDateTime.class, String.class);
    return tuple.addArrayOfString(OutboxMessage.batch(posts.stream().flatMap(p -> p.messages().stream()).toList()));
  }
}
