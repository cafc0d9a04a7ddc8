package dev.postflow.publisher.account;

import dev.postflow.contract.crypto.SecretCipher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Platform sessions cached per account (publisher.account_session), so a platform whose login is rate limited
 * (Bluesky's createSession: 30 per 5 min, 300 a day) is logged into once and refreshed, never per post.
 * Tokens are stored encrypted; a rotated refresh token is stored in the same statement as its access token.
 */
@ApplicationScoped
public class AccountSessions {
  public record Session(String accessToken, String refreshToken, Instant expiresAt) {
    public boolean fresh() {
      return expiresAt == null || expiresAt.isAfter(Instant.now().plusSeconds(60));
    }
  }

  @Inject Pool pool;
  @Inject SecretCipher cipher;

  /** null when none is cached. */
  public Uni<Session> find(String accountId) {
    return pool.preparedQuery("select access_token, refresh_token, expires_at from publisher.account_session where account_id = $1")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          if (!rows.iterator().hasNext()) return null;
          Row row = rows.iterator().next();
          var expires = row.getOffsetDateTime("expires_at");
          return new Session(cipher.decrypt(row.getString("access_token")), cipher.decrypt(row.getString("refresh_token")),
              expires == null ? null : expires.toInstant());
        });
  }

  public Uni<Session> save(String accountId, Session session) {
    return pool.preparedQuery("""
            insert into publisher.account_session (account_id, access_token, refresh_token, expires_at, updated_at)
            values ($1, $2, $3, $4, clock_timestamp())
            on conflict (account_id) do update set access_token = excluded.access_token, refresh_token = excluded.refresh_token,
              expires_at = excluded.expires_at, updated_at = excluded.updated_at""")
        .execute(Tuple.of(accountId, cipher.encrypt(session.accessToken()), cipher.encrypt(session.refreshToken()),
            session.expiresAt() == null ? null : session.expiresAt().atOffset(ZoneOffset.UTC)))
        .replaceWith(session);
  }

  public Uni<Void> forget(String accountId) {
    return pool.preparedQuery("delete from publisher.account_session where account_id = $1").execute(Tuple.of(accountId)).replaceWithVoid();
  }
}
