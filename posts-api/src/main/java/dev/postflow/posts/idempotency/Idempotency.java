package dev.postflow.posts.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Idempotency-Key for POST requests. The key is claimed with a transaction-scoped advisory lock (a second request
 * with the same key while the first runs gets 409), and the first successful answer is stored in the same
 * transaction as its effect, so a crash never leaves a post without its key or a key without its post.
 * Answers that are errors are not stored: the same bad request gets the same error again.
 */
@ApplicationScoped
public class Idempotency {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";

  @Inject ObjectMapper json;
  @Inject dev.postflow.contract.crypto.SecretCipher cipher;

  /** Runs {@code work} once per (workspace, key); {@code key == null} just runs it. */
  @WithTransaction
  public Uni<Response> once(String workspaceId, String key, String operation, Object request, Supplier<Uni<Response>> work) {
    if (key == null) return work.get();
    if (key.isBlank() || key.length() > 255) {
      throw new ProblemException(400, "invalid_idempotency_key", "Invalid Idempotency-Key", "the key must be 1 to 255 characters");
    }
    String hash = hash(operation, request);
    return Panache.getSession()
        .chain(session -> session.createNativeQuery("select pg_try_advisory_xact_lock(hashtextextended(:lock, 0))", Boolean.class)
            .setParameter("lock", workspaceId + "\n" + key).getSingleResult())
        .chain(locked -> {
          if (!locked) {
            throw new ProblemException(409, "idempotency_key_in_use", "Idempotency key in use",
                "a request with this Idempotency-Key is still running; retry when it has finished");
          }
          return IdempotencyKey.<IdempotencyKey>findById(new IdempotencyKey.Id(workspaceId, key));
        })
        .chain(stored -> {
          if (stored != null) {
            if (!stored.requestHash.equals(hash)) {
              throw new ProblemException(422, "idempotency_key_reused", "Idempotency key reused",
                  "this Idempotency-Key was used for a different request; use a new key for a new request");
            }
            return Uni.createFrom().item(Response.status(stored.responseStatus).type(MediaType.APPLICATION_JSON)
                .entity(stored.responseBody.startsWith("v1:") ? cipher.decrypt(stored.responseBody) : stored.responseBody)
                .header(REPLAYED, "true").build());
          }
          return work.get().call(response -> {
            if (response.getStatus() >= 300) return Uni.createFrom().voidItem();
            IdempotencyKey row = new IdempotencyKey();
            row.workspaceId = workspaceId;
            row.key = key;
            row.requestHash = hash;
            row.responseStatus = response.getStatus();
            // Encrypted: some answers carry a secret shown once (a webhook's signing secret).
            row.responseBody = cipher.encrypt(write(response.getEntity()));
            row.createdAt = Instant.now();
            return row.persist();
          });
        });
  }

  private String hash(String operation, Object request) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(operation.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
      digest.update(json.writeValueAsBytes(request));
      return HexFormat.of().formatHex(digest.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String write(Object entity) {
    try {
      return entity instanceof String text ? text : json.writeValueAsString(entity);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
