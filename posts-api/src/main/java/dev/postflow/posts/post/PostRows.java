package dev.postflow.posts.post;

import dev.postflow.contract.Columns;
import dev.postflow.posts.media.Media;
import dev.postflow.posts.messaging.OutboxMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Plain SQL for the two paths that change many posts at once: due hand-overs and publish results, hundreds per
 * Kafka batch. The rows of a batch are locked with one query, their targets read with another, and every change is
 * written with one statement ({@code update … from unnest(…)}, {@code insert … select from unnest(…)}, a part per table),
 * instead of one statement per row through Hibernate (for 20,000 posts due at once that was 40,000 post updates,
 * 40,000 target updates and 77,000 outbox inserts, and Hibernate was the largest part of posts-api's CPU profile).
 * What changes, and when, is decided in {@link PostLifecycle}.
 */
@ApplicationScoped
public class PostRows {
  @Inject Pool pool;

  /** Posts locked for update (in id order) with their targets (in position order). */
  record Locked(Map<String, Post> posts, Map<String, List<PostTarget>> targetsByPost) {
    List<PostTarget> targets(String postId) {
      return targetsByPost.getOrDefault(postId, List.of());
    }
  }

  /** Everything one batch changes, written by {@link #save}; a post or target changed twice is written once. */
  static final class Changes {
    final Set<Post> posts = new LinkedHashSet<>();
    final Set<PostTarget> targets = new LinkedHashSet<>();
    final List<PublishAttempt> attempts = new ArrayList<>();
    final List<OutboxMessage> messages = new ArrayList<>();

    boolean isEmpty() {
      return posts.isEmpty();
    }
  }

  <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
    return pool.withTransaction(work);
  }

  /**
   * Locks the posts (in id order, so concurrent batches cannot deadlock), then reads their targets. Two statements on
   * purpose: a statement reads with the snapshot it started with, and the lock may wait for a transaction that
   * changes the same post's targets. Only the locked rows are read again after that wait, so a target read in the
   * locking statement (a join) could be older than its post, and writing it back would undo the other change.
   */
  Uni<Locked> lock(SqlConnection connection, List<String> postIds) {
    String[] ids = postIds.stream().distinct().sorted().toArray(String[]::new);
    return connection.preparedQuery("""
            select id, workspace_id, status, version, schedule_version, text, media_ids, platform_options, scheduled_at,
                   time_zone, published_at, external_id, metadata, created_at, updated_at, queue_id, reviewed_by, reviewed_at,
                   repost_times, repost_every_days, repost_texts, repost_of, reposted_as
              from posts.post where id = any($1) order by id for update""").execute(Tuple.of(ids))
        .chain(postRows -> connection.preparedQuery("""
                select id, post_id, position, account_id, platform, status, text, media_ids, platform_options,
                       platform_post_id, permalink, published_at, attempts, current_request_id, error, updated_at, edited_at, edit_text
                  from posts.post_target where post_id = any($1) order by post_id, position""").execute(Tuple.of(ids))
            .map(targetRows -> {
              Map<String, Post> posts = new HashMap<>();
              for (Row row : postRows) {
                Post post = post(row);
                posts.put(post.id, post);
              }
              Map<String, List<PostTarget>> targets = new HashMap<>();
              for (Row row : targetRows) {
                PostTarget target = target(row);
                targets.computeIfAbsent(target.postId, id -> new ArrayList<>()).add(target);
              }
              return new Locked(posts, targets);
            }));
  }

  /** The media files with these ids (of any workspace: the caller matches each to its post's workspace). */
  Uni<List<Media>> media(SqlConnection connection, java.util.Collection<String> ids) {
    if (ids.isEmpty()) return Uni.createFrom().item(List.of());
    return connection.preparedQuery("""
            select id, workspace_id, mime_type, size_bytes, width, height, duration_ms, alt_text
              from posts.media where id = any($1)""").execute(Tuple.of(ids.toArray(String[]::new)))
        .map(rows -> {
          List<Media> found = new ArrayList<>();
          for (Row row : rows) {
            Media media = new Media();
            media.id = row.getString("id");
            media.workspaceId = row.getString("workspace_id");
            media.mimeType = row.getString("mime_type");
            media.sizeBytes = row.getLong("size_bytes");
            media.width = row.getInteger("width");
            media.height = row.getInteger("height");
            media.durationMs = row.getLong("duration_ms");
            media.altText = row.getString("alt_text");
            found.add(media);
          }
          return found;
        });
  }

  /**
   * Writes a batch's changed posts and targets, its attempts and its outbox messages (in list order, one outbox row)
   * with one statement: one round trip, each table written from arrays. The requests among the messages are watched
   * (one request_watch row, see {@link RequestWatch}).
   */
  Uni<Void> save(SqlConnection connection, Changes changes) {
    if (changes.isEmpty()) return Uni.createFrom().voidItem();
    Columns post = new Columns(5, changes.posts.size());
    for (Post p : changes.posts) post.add(p.id, p.status, p.version, p.publishedAt, p.updatedAt);
    Columns target = new Columns(13, changes.targets.size());
    for (PostTarget t : changes.targets) {
      target.add(t.id, t.status, t.attempts, t.currentRequestId, t.error, t.platformPostId, t.permalink, t.publishedAt, t.updatedAt, t.text,
          t.editText, t.editedAt, t.contentKey);
    }
    Columns attempt = new Columns(10, changes.attempts.size());
    for (PublishAttempt a : changes.attempts) {
      attempt.add(a.postId, a.targetId, a.requestId, a.attempt, a.startedAt, a.durationMs, a.outcome, a.httpStatus, a.providerCode, a.error);
    }
    Tuple parameters = post.addTo(Tuple.tuple(), String.class, String.class, Long.class, OffsetDateTime.class, OffsetDateTime.class);
    target.addTo(parameters, String.class, String.class, Integer.class, String.class, String.class, String.class, String.class,
        OffsetDateTime.class, OffsetDateTime.class, String.class, String.class, OffsetDateTime.class, String.class);
    attempt.addTo(parameters, String.class, String.class, String.class, Integer.class, OffsetDateTime.class, Long.class, String.class,
        Integer.class, String.class, String.class);
    parameters.addArrayOfString(OutboxMessage.batch(changes.messages));
    parameters.addArrayOfString(RequestWatch.watched(changes.messages));
    return connection.preparedQuery("""
        with posts as (
          update posts.post p set status = u.status, version = u.version, published_at = u.published_at, updated_at = u.updated_at
            from unnest($1::text[], $2::text[], $3::int8[], $4::timestamptz[], $5::timestamptz[])
                 as u(id, status, version, published_at, updated_at)
           where p.id = u.id),
        targets as (
          update posts.post_target t set status = u.status, attempts = u.attempts, current_request_id = u.current_request_id,
                 error = u.error, platform_post_id = u.platform_post_id, permalink = u.permalink, published_at = u.published_at,
                 updated_at = u.updated_at, text = u.text, edit_text = u.edit_text, edited_at = u.edited_at,
                 content_key = coalesce(u.content_key, t.content_key)
            from unnest($6::text[], $7::text[], $8::int4[], $9::text[], $10::text[], $11::text[], $12::text[],
                        $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[], $17::timestamptz[], $18::text[])
                 as u(id, status, attempts, current_request_id, error, platform_post_id, permalink, published_at, updated_at, text,
                      edit_text, edited_at, content_key)
           where t.id = u.id),
        attempts as (
          insert into posts.publish_attempt (post_id, target_id, request_id, attempt, started_at, duration_ms, outcome,
                                             http_status, provider_code, error)
          select * from unnest($19::text[], $20::text[], $21::text[], $22::int4[], $23::timestamptz[], $24::int8[],
                               $25::text[], $26::int4[], $27::text[], $28::text[])),
        watch as (
          insert into posts.request_watch (request_ids)
          select $30::text[] where cardinality($30::text[]) > 0)
        """ + OutboxMessage.insertBatch(29)).execute(parameters).replaceWithVoid();
  }

  private static Post post(Row row) {
    Post post = new Post();
    post.id = row.getString("id");
    post.workspaceId = row.getString("workspace_id");
    post.status = row.getString("status");
    post.version = row.getLong("version");
    post.scheduleVersion = row.getLong("schedule_version");
    post.text = row.getString("text");
    post.mediaIds = row.getString("media_ids");
    post.platformOptions = row.getString("platform_options");
    post.scheduledAt = instant(row, "scheduled_at");
    post.timeZone = row.getString("time_zone");
    post.publishedAt = instant(row, "published_at");
    post.queueId = row.getString("queue_id");
    post.externalId = row.getString("external_id");
    post.metadata = row.getString("metadata");
    post.createdAt = instant(row, "created_at");
    post.updatedAt = instant(row, "updated_at");
    post.reviewedBy = row.getString("reviewed_by");
    post.reviewedAt = instant(row, "reviewed_at");
    post.repostTimes = row.getInteger("repost_times");
    post.repostEveryDays = row.getInteger("repost_every_days");
    post.repostTexts = row.getString("repost_texts");
    post.repostOf = row.getString("repost_of");
    post.repostedAs = row.getString("reposted_as");
    return post;
  }

  private static PostTarget target(Row row) {
    PostTarget target = new PostTarget();
    target.id = row.getString("id");
    target.postId = row.getString("post_id");
    target.position = row.getInteger("position");
    target.accountId = row.getString("account_id");
    target.platform = row.getString("platform");
    target.status = row.getString("status");
    target.text = row.getString("text");
    target.mediaIds = row.getString("media_ids");
    target.platformOptions = row.getString("platform_options");
    target.platformPostId = row.getString("platform_post_id");
    target.permalink = row.getString("permalink");
    target.publishedAt = instant(row, "published_at");
    target.attempts = row.getInteger("attempts");
    target.currentRequestId = row.getString("current_request_id");
    target.error = row.getString("error");
    target.updatedAt = instant(row, "updated_at");
    target.editedAt = instant(row, "edited_at");
    target.editText = row.getString("edit_text");
    return target;
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime time = row.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }
}
