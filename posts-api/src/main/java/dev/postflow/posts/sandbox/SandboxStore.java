package dev.postflow.posts.sandbox;

import dev.postflow.contract.Columns;
import dev.postflow.contract.Ids;
import dev.postflow.contract.StatementBatcher;
import dev.postflow.posts.post.PostJson;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class SandboxStore {
  @Inject PostJson postJson;
  @Inject Pool pool;

  /** The stored post's id and time, or the earlier post's that a repeated Idempotency-Key is answered with ({@code repeated}). */
  public record Saved(String id, Instant receivedAt, boolean repeated) {}

  /**
   * Stores a received post; received_at comes from the database clock. With an idempotency key the account used
   * before, nothing is stored: the first post is answered (its {@code repeats} counted). Two creates with one key at
   * the same moment: the unique index makes the second wait for the first (or, in one statement, skip its row) and
   * then find its post. Without a key (null) nothing can conflict.
   *
   * <p>Creates that arrive together share one insert (group commit): under load the sandbox, like a real platform,
   * must not be what the benchmark measures, and one commit per received post made every publish wait for its own
   * WAL flush (the most frequent wait in pg_stat_activity during 20,000 posts due at once).
   */
  public Uni<Saved> save(SandboxProviderResource.CreatePost body, String idempotencyKey) {
    String mediaIds = postJson.write(body.mediaIds() == null ? List.of() : body.mediaIds());
    Received received = new Received(Ids.newId("sbx"), body.accountId(), body.clientRef(), body.text(), mediaIds, idempotencyKey);
    return inserts.submit(received).chain(receivedAt -> {
      if (receivedAt.isPresent()) return Uni.createFrom().item(new Saved(received.id(), receivedAt.get(), false));
      // A new statement (new snapshot) sees the first post, committed before the insert above gave way.
      return pool.preparedQuery("update posts.sandbox_post set repeats = repeats + 1 where account_id = $1 and idempotency_key = $2"
              + " returning id, received_at")
          .execute(Tuple.of(body.accountId(), idempotencyKey))
          .map(found -> {
            Row first = found.iterator().next();
            return new Saved(first.getString("id"), receivedAt(first), true);
          });
    });
  }

  private record Received(String id, String accountId, String clientRef, String text, String mediaIds, String idempotencyKey) {}

  private StatementBatcher<Received, Optional<Instant>> inserts;

  @PostConstruct
  void batcher() {
    inserts = new StatementBatcher<>("sandbox posts", 500, 2, this::insert);
  }

  /** One insert for many received posts; each answer is its received_at, or empty where an earlier post holds the key. */
  private Uni<List<Optional<Instant>>> insert(List<Received> posts) {
    Columns columns = new Columns(6, posts.size());
    for (Received post : posts) {
      columns.add(post.id(), post.accountId(), post.clientRef(), post.text(), post.mediaIds(), post.idempotencyKey());
    }
    return pool.preparedQuery("""
            insert into posts.sandbox_post (id, account_id, target_id, text, media_ids, idempotency_key)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
            on conflict (account_id, idempotency_key) where idempotency_key is not null do nothing
            returning id, received_at""")
        .execute(columns.addTo(Tuple.tuple(), String.class, String.class, String.class, String.class, String.class, String.class))
        .map(rows -> {
          Map<String, Instant> stored = new HashMap<>();
          for (Row row : rows) stored.put(row.getString("id"), receivedAt(row));
          return posts.stream().map(post -> Optional.ofNullable(stored.get(post.id()))).toList();
        });
  }

  private static Instant receivedAt(Row row) {
    return row.getOffsetDateTime("received_at").toInstant();
  }

  /** Counts this call for the client_ref and returns which call it is (1 for the first). */
  public Uni<Integer> countCall(String clientRef) {
    return pool.preparedQuery("insert into posts.sandbox_call (client_ref, calls) values ($1, 1)"
            + " on conflict (client_ref) do update set calls = posts.sandbox_call.calls + 1 returning calls")
        .execute(Tuple.of(clientRef == null ? "" : clientRef))
        .map(rows -> rows.iterator().next().getInteger("calls"));
  }

  /**
   * Takes a post down: its time of deletion from the database clock. False when there is no such post, or it was
   * taken down before (a platform answers both with 404).
   */
  public Uni<Boolean> delete(String id) {
    return pool.preparedQuery("update posts.sandbox_post set deleted_at = clock_timestamp() where id = $1 and deleted_at is null")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Changes a post's text; answers the edit's time (the database clock), or null when there is no such post, or it was
   * taken down.
   */
  public Uni<java.time.OffsetDateTime> edit(String id, String text) {
    return pool.preparedQuery("update posts.sandbox_post set text = $2, edited_at = clock_timestamp(), edits = edits + 1"
            + " where id = $1 and deleted_at is null returning edited_at")
        .execute(Tuple.of(id, text))
        .map(rows -> rows.rowCount() == 1 ? rows.iterator().next().getOffsetDateTime("edited_at") : null);
  }

  @WithSession
  public Uni<SandboxPost> byId(String id) {
    return SandboxPost.findById(id);
  }

  @WithSession
  public Uni<List<SandboxPost>> byClientRef(String clientRef) {
    return SandboxPost.list("targetId = ?1 order by id", clientRef);
  }

  /** Oldest first; {@code workspaceId == null} (admin) sees every workspace's sandbox posts. */
  @WithSession
  public Uni<List<SandboxPost>> list(String workspaceId, String targetId, String accountId, String cursor, int limit) {
    StringBuilder query = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (workspaceId != null) {
      query.append(" and accountId in (select a.id from Account a where a.workspaceId = :workspace)");
      params.put("workspace", workspaceId);
    }
    if (targetId != null) {
      query.append(" and targetId = :target");
      params.put("target", targetId);
    }
    if (accountId != null) {
      query.append(" and accountId = :account");
      params.put("account", accountId);
    }
    if (cursor != null) {
      query.append(" and id > :cursor");
      params.put("cursor", cursor);
    }
    return SandboxPost.<SandboxPost>find(query + " order by id", params).page(0, limit + 1).list();
  }
}
