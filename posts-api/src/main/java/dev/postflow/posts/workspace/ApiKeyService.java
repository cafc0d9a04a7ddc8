package dev.postflow.posts.workspace;

import dev.postflow.contract.Ids;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/** API keys: random, shown once, stored as SHA-256. */
@ApplicationScoped
public class ApiKeyService {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  public record IssuedKey(ApiKey key, String secret) {}

  /**
   * Known keys, by hash, for {@code postflow.api-keys.cache-ttl}: a request does not wait for a database round trip to
   * learn its workspace. A key revoked through this replica stops at once; through another one within the TTL.
   */
  private record Known(Owner owner, long until) {}

  /** Whose key it is, and whether what it posts must wait for approval ({@link ApiKey#requiresApproval}). */
  public record Owner(String keyId, String workspaceId, boolean requiresApproval) {}

  private final java.util.concurrent.ConcurrentHashMap<String, Known> known = new java.util.concurrent.ConcurrentHashMap<>();

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.api-keys.cache-ttl", defaultValue = "PT5S")
  java.time.Duration cacheTtl;

  /** Whose the key is, or null when the key is unknown or revoked. */
  public Uni<Owner> ownerOf(String secret) {
    String hash = hash(secret);
    Known cached = known.get(hash);
    if (cached != null && cached.until() > System.nanoTime()) return Uni.createFrom().item(cached.owner());
    return Panache.withSession(() -> ApiKey.<ApiKey>find("keyHash = ?1 and revokedAt is null", hash).firstResult())
        .map(key -> {
          if (key == null) return null;
          if (known.size() > 100_000) known.clear();
          Owner owner = new Owner(key.id, key.workspaceId, key.requiresApproval);
          known.put(hash, new Known(owner, System.nanoTime() + cacheTtl.toNanos()));
          return owner;
        });
  }

  /** Must run inside a transaction. */
  Uni<IssuedKey> issue(String workspaceId, String name) {
    return issue(workspaceId, name, false);
  }

  Uni<IssuedKey> issue(String workspaceId, String name, boolean requiresApproval) {
    String secret = "pf_" + random(40);
    ApiKey key = new ApiKey();
    key.id = Ids.newId("key");
    key.workspaceId = workspaceId;
    key.keyHash = hash(secret);
    key.keyPrefix = secret.substring(0, 8);
    key.name = name;
    key.requiresApproval = requiresApproval;
    key.createdAt = Instant.now();
    return key.<ApiKey>persist().map(saved -> new IssuedKey(saved, secret));
  }

  @WithTransaction
  public Uni<IssuedKey> create(String workspaceId, String name, boolean requiresApproval) {
    return issue(workspaceId, name, requiresApproval);
  }

  /** The workspace's keys, newest first (hashes only: a key's secret is shown once, when it is made). */
  @io.quarkus.hibernate.reactive.panache.common.WithSession
  public Uni<java.util.List<ApiKey>> list(String workspaceId) {
    return ApiKey.list("workspaceId = ?1 order by createdAt desc, id desc", workspaceId);
  }

  @WithTransaction
  public Uni<ApiKey> revoke(String workspaceId, String keyId) {
    return ApiKey.<ApiKey>find("id = ?1 and workspaceId = ?2", keyId, workspaceId).firstResult().map(key -> {
      if (key == null) throw ProblemException.notFound("api key " + keyId);
      if (key.revokedAt == null) key.revokedAt = Instant.now();
      known.remove(key.keyHash);
      return key;
    });
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    return new String(out);
  }
}
