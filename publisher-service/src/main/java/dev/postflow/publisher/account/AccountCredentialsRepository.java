package dev.postflow.publisher.account;

import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.StatementBatcher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads an account's credentials from posts-api's account table (read-only; posts-api owns it). Read at every
 * publish, never cached, so a disconnect or a refreshed token counts at once; concurrent publishes share one query.
 */
@ApplicationScoped
public class AccountCredentialsRepository {
  @Inject Pool pool;
  @Inject SecretCipher cipher;

  @ConfigProperty(name = "postflow.publisher.statement-batch-size")
  int batchSize;

  private StatementBatcher<String, Row> reads;

  @PostConstruct
  void batcher() {
    reads = new StatementBatcher<>("account read", batchSize, 2, this::readAll);
  }

  /** null when the account does not exist */
  public Uni<AccountCredentials> find(String accountId) {
    return reads.submit(accountId).map(row -> row == null ? null : new AccountCredentials(row.getString("id"), row.getString("platform"),
        row.getString("external_id"), row.getString("handle"), cipher.decrypt(row.getString("access_token")), row.getString("status"),
        new io.vertx.core.json.JsonObject(row.getString("platform_fields")).getMap(), cipher.decrypt(row.getString("dpop_key")),
        cipher.decrypt(row.getString("token_secret")), row.getString("oauth_app_id"), row.getString("consumer_key"),
        cipher.decrypt(row.getString("consumer_secret"))));
  }

  private Uni<List<Row>> readAll(List<String> accountIds) {
    // The workspace's app's OAuth 1.0a keys only where the account has one (X): null columns cost nothing to decrypt.
    return pool.preparedQuery("select a.id, a.platform, a.external_id, a.handle, a.access_token, a.status, a.platform_fields, a.dpop_key,"
            + " a.token_secret, a.oauth_app_id, p.consumer_key, p.consumer_secret"
            + " from posts.account a left join posts.oauth_app p on p.id = a.oauth_app_id where a.id = any($1)")
        .execute(Tuple.of(accountIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, Row> byId = new HashMap<>();
          for (Row row : rows) byId.put(row.getString("id"), row);
          List<Row> answers = new ArrayList<>(accountIds.size());
          for (String id : accountIds) answers.add(byId.get(id));
          return answers;
        });
  }
}
