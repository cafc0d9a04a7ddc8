package dev.postflow.posts;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A transaction-scoped PostgreSQL advisory lock on a key, for rows that do not exist yet (two connects of one account,
 * two saves of one workspace's app): taken in the current Panache transaction, released at its end.
 */
public final class AdvisoryLock {
  private AdvisoryLock() {}

  public static Uni<Void> take(String key) {
    return Panache.getSession().chain(session -> session.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext(?1))) locked")
        .setParameter(1, key).getSingleResult()).replaceWithVoid();
  }
}
