package dev.postflow.publisher.account;

import dev.postflow.contract.crypto.SecretCipher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Reads an account's credentials from posts-api's account table (read-only; posts-api owns it). */
@ApplicationScoped
public class AccountCredentialsRepository {
  @Inject Pool pool;
  @Inject SecretCipher cipher;

  /** null when the account does not exist */
  public Uni<AccountCredentials> find(String accountId) {
    return pool.preparedQuery("select id, platform, external_id, access_token, status, platform_fields from posts.account where id = $1")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          if (!rows.iterator().hasNext()) return null;
          Row row = rows.iterator().next();
          return new AccountCredentials(row.getString("id"), row.getString("platform"), row.getString("external_id"),
              cipher.decrypt(row.getString("access_token")), row.getString("status"),
              new io.vertx.core.json.JsonObject(row.getString("platform_fields")).getMap());
        });
  }
}
