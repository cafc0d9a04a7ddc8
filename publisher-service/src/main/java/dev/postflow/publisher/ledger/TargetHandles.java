package dev.postflow.publisher.ledger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Per-target handles that make a publish repeatable without a second post (see V2__target_handles.sql). Keyed by
 * target, not by attempt: a retried target reuses the record key or idempotency key of its earlier attempts.
 */
@ApplicationScoped
public class TargetHandles {
  @Inject Pool pool;

  /** The stored value, or a new one from {@code create} stored first (the first writer wins). */
  public Uni<String> getOrCreate(String targetId, String name, Supplier<String> create) {
    String candidate = create.get();
    return pool.preparedQuery("""
            insert into publisher.target_handle (target_id, name, value) values ($1, $2, $3)
            on conflict (target_id, name) do update set value = publisher.target_handle.value
            returning value""")
        .execute(Tuple.of(targetId, name, candidate))
        .map(rows -> rows.iterator().next().getString(0));
  }

  /** null when there is none. */
  public Uni<String> get(String targetId, String name) {
    return pool.preparedQuery("select value from publisher.target_handle where target_id = $1 and name = $2")
        .execute(Tuple.of(targetId, name))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
  }

  /** All of a target's handles, by name (one query where an adapter needs several). */
  public Uni<java.util.Map<String, String>> all(String targetId) {
    return pool.preparedQuery("select name, value from publisher.target_handle where target_id = $1")
        .execute(Tuple.of(targetId))
        .map(rows -> {
          java.util.Map<String, String> handles = new java.util.HashMap<>();
          rows.forEach(row -> handles.put(row.getString("name"), row.getString("value")));
          return handles;
        });
  }

  /** Stores (or replaces) a handle; completes once it is durable. */
  public Uni<Void> put(String targetId, String name, String value) {
    return pool.preparedQuery("""
            insert into publisher.target_handle (target_id, name, value) values ($1, $2, $3)
            on conflict (target_id, name) do update set value = excluded.value""")
        .execute(Tuple.of(targetId, name, value))
        .replaceWithVoid();
  }
}
