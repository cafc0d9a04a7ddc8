package dev.postflow.posts.sandbox;

import dev.postflow.contract.Ids;
import dev.postflow.posts.post.PostJson;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class SandboxStore {
  @Inject PostJson postJson;
  @Inject Pool pool;

  /** A stored post, or the earlier post a repeated Idempotency-Key is answered with ({@code repeated}). */
  public record Saved(SandboxPost post, boolean repeated) {}

  /**
   * Stores a received post; received_at comes from the database clock. With an idempotency key the account used
   * before, nothing is stored: the first post is answered (its {@code repeats} counted). Two creates with one key at
   * the same moment: the primary key makes the second wait for the first and then find its post.
   */
  public Uni<Saved> save(SandboxProviderResource.CreatePost body, String idempotencyKey) {
    SandboxPost post = new SandboxPost();
    post.id = Ids.newId("sbx");
    post.accountId = body.accountId();
    post.targetId = body.clientRef();
    post.text = body.text();
    post.mediaIds = postJson.write(body.mediaIds() == null ? List.of() : body.mediaIds());
    Tuple values = Tuple.of(post.id, post.accountId, post.targetId, post.text, post.mediaIds);
    if (idempotencyKey == null) {
      return pool.preparedQuery("insert into posts.sandbox_post (id, account_id, target_id, text, media_ids) values ($1, $2, $3, $4, $5)"
              + " returning received_at")
          .execute(values)
          .map(rows -> new Saved(received(post, rows), false));
    }
    return pool.preparedQuery("""
            with claimed as (
              insert into posts.sandbox_idempotency (account_id, idempotency_key, post_id) values ($2, $6, $1)
              on conflict do nothing returning post_id)
            insert into posts.sandbox_post (id, account_id, target_id, text, media_ids)
            select $1, $2, $3, $4, $5 from claimed returning received_at""")
        .execute(values.addString(idempotencyKey))
        .chain(rows -> {
          if (rows.rowCount() == 1) return Uni.createFrom().item(new Saved(received(post, rows), false));
          // A new statement (new snapshot) sees the first post, committed before the insert above gave way.
          return pool.preparedQuery("""
                  update posts.sandbox_post p set repeats = p.repeats + 1
                    from posts.sandbox_idempotency k
                   where k.account_id = $1 and k.idempotency_key = $2 and p.id = k.post_id
                  returning p.id, p.account_id, p.target_id, p.text, p.media_ids, p.received_at, p.repeats""")
              .execute(Tuple.of(body.accountId(), idempotencyKey))
              .map(found -> {
                Row row = found.iterator().next();
                SandboxPost first = new SandboxPost();
                first.id = row.getString("id");
                first.accountId = row.getString("account_id");
                first.targetId = row.getString("target_id");
                first.text = row.getString("text");
                first.mediaIds = row.getString("media_ids");
                first.repeats = row.getInteger("repeats");
                return new Saved(received(first, found), true);
              });
        });
  }

  private static SandboxPost received(SandboxPost post, RowSet<Row> rows) {
    post.receivedAt = rows.iterator().next().getOffsetDateTime("received_at").toInstant();
    return post;
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
