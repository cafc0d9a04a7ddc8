package dev.postflow.posts.sandbox;

import dev.postflow.contract.Ids;
import dev.postflow.posts.post.PostJson;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class SandboxStore {
  @Inject PostJson postJson;
  @Inject Pool pool;

  /** The stored post's id and time, or the earlier post's that a repeated Idempotency-Key is answered with ({@code repeated}). */
  public record Saved(String id, Instant receivedAt, boolean repeated) {}

  /**
   * Stores a received post; received_at comes from the database clock. With an idempotency key the account used
   * before, nothing is stored: the first post is answered (its {@code repeats} counted). Two creates with one key at
   * the same moment: the unique index makes the second wait for the first and then find its post. Without a key
   * (null) nothing can conflict.
   */
  public Uni<Saved> save(SandboxProviderResource.CreatePost body, String idempotencyKey) {
    String id = Ids.newId("sbx");
    String mediaIds = postJson.write(body.mediaIds() == null ? List.of() : body.mediaIds());
    return pool.preparedQuery("""
            insert into posts.sandbox_post (id, account_id, target_id, text, media_ids, idempotency_key) values ($1, $2, $3, $4, $5, $6)
            on conflict (account_id, idempotency_key) where idempotency_key is not null do nothing
            returning received_at""")
        .execute(Tuple.of(id, body.accountId(), body.clientRef(), body.text(), mediaIds, idempotencyKey))
        .chain(rows -> {
          if (rows.rowCount() == 1) return Uni.createFrom().item(new Saved(id, receivedAt(rows.iterator().next()), false));
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
