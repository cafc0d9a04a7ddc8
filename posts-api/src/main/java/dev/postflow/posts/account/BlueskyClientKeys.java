package dev.postflow.posts.account;

import dev.postflow.contract.crypto.Es256Key;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.posts.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Our atproto OAuth client keys (posts.atproto_client_key, private halves encrypted). The newest signs the client
 * assertions of new connects; every key kept is published in our client metadata's jwks, so the sessions that began
 * with an older key refresh with it (the authorization server binds a session to the key of its first token request).
 * Rotating adds a key; retiring one removes it from the jwks, and the sessions that began with it end: their accounts
 * must be connected again. Blocking (worker threads), as the connect flow that uses it.
 */
@ApplicationScoped
public class BlueskyClientKeys {
  /** How long a replica keeps using the newest key it read before it looks again (another replica may have rotated). */
  static final Duration ACTIVE_KEY_CACHE = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject SecretCipher cipher;

  private volatile Es256Key active;
  private volatile Instant activeReadAt = Instant.EPOCH;

  /** A key as the operator sees it: whether it signs new connects, and how many accounts' sessions began with it. */
  public record KeyView(String kid, Instant createdAt, boolean active, long accounts) {}

  /** The key new connects sign with: the newest; made and stored on first use. */
  public Es256Key active() {
    Es256Key key = active;
    if (key != null && activeReadAt.plus(ACTIVE_KEY_CACHE).isAfter(Instant.now())) return key;
    synchronized (this) {
      String newest = "select private_jwk from posts.atproto_client_key order by created_at desc, kid desc limit 1";
      var rows = OAuthConnect.await(pool.preparedQuery(newest).execute());
      if (rows.size() == 0) {
        Es256Key made = Es256Key.generate(newKid());
        OAuthConnect.await(pool.preparedQuery("insert into posts.atproto_client_key (kid, private_jwk) select $1, $2"
            + " where not exists (select 1 from posts.atproto_client_key)").execute(Tuple.of(made.kid(), cipher.encrypt(made.privateJwk()))));
        rows = OAuthConnect.await(pool.preparedQuery(newest).execute());
      }
      active = key(rows.iterator().next());
      activeReadAt = Instant.now();
      return active;
    }
  }

  /** The key {@code kid}, or null when it was retired (or never existed). */
  public Es256Key byKid(String kid) {
    var rows = OAuthConnect.await(pool.preparedQuery("select private_jwk from posts.atproto_client_key where kid = $1").execute(Tuple.of(kid)));
    return rows.size() == 0 ? null : key(rows.iterator().next());
  }

  /** Every key kept, newest first: the jwks of our client metadata. */
  public List<Es256Key> all() {
    active(); // the first key is made on first use
    List<Es256Key> keys = new ArrayList<>();
    for (Row row : OAuthConnect.await(pool.preparedQuery("select private_jwk from posts.atproto_client_key order by created_at desc, kid desc").execute())) {
      keys.add(key(row));
    }
    return keys;
  }

  public List<KeyView> list() {
    active();
    List<KeyView> views = new ArrayList<>();
    boolean first = true;
    for (Row row : OAuthConnect.await(pool.preparedQuery("select k.kid, k.created_at, (select count(*) from posts.account a"
        + " where a.platform = 'bluesky' and a.status <> 'disconnected' and a.dpop_key is not null"
        + " and a.platform_fields::jsonb ->> 'client_kid' = k.kid) from posts.atproto_client_key k order by k.created_at desc, k.kid desc").execute())) {
      views.add(new KeyView(row.getString(0), row.getOffsetDateTime(1).toInstant(), first, row.getLong(2)));
      first = false;
    }
    return views;
  }

  /** A new key, which signs every new connect from now on (on other replicas within {@link #ACTIVE_KEY_CACHE}). */
  public KeyView rotate() {
    Es256Key made = Es256Key.generate(newKid());
    // created_at from the clock of the database, which orders the keys
    OAuthConnect.await(pool.preparedQuery("insert into posts.atproto_client_key (kid, private_jwk, created_at)"
        + " select $1, $2, greatest(now(), (select max(created_at) + interval '1 microsecond' from posts.atproto_client_key))")
        .execute(Tuple.of(made.kid(), cipher.encrypt(made.privateJwk()))));
    synchronized (this) {
      active = made;
      activeReadAt = Instant.now();
    }
    return list().get(0);
  }

  /**
   * Removes key {@code kid} from our metadata. Refused for the key that signs new connects (rotate first), and, unless
   * {@code force}, while accounts' sessions still use it: retiring it ends them (a compromised key must go anyway).
   */
  public void retire(String kid, boolean force) {
    KeyView key = list().stream().filter(k -> k.kid().equals(kid)).findFirst()
        .orElseThrow(() -> new ProblemException(404, "not_found", "Not found", "no Bluesky client key " + kid));
    if (key.active()) {
      throw new ProblemException(409, "key_active", "The key signs new connects",
          kid + " is the newest key, which signs every new connect: make a new one first (POST /v1/admin/bluesky/client-keys)");
    }
    if (key.accounts() > 0 && !force) {
      throw new ProblemException(409, "key_in_use", "Accounts still use the key", key.accounts() + " Bluesky account(s) began their session with "
          + kid + "; retiring it ends those sessions and they must be connected again. Send ?force=true to retire it anyway");
    }
    OAuthConnect.await(pool.preparedQuery("delete from posts.atproto_client_key where kid = $1").execute(Tuple.of(kid)));
  }

  /** A stored key: its private JWK, the row's first column, decrypted. */
  private Es256Key key(Row row) {
    return Es256Key.fromJwk(cipher.decrypt(row.getString(0)));
  }

  private static String newKid() {
    return "postflow-" + OAuthConnect.random().substring(0, 8);
  }
}
