package dev.postflow.publisher.platform;

import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.account.AccountCredentials;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * One platform's publishing protocol. {@link #publish} returns a definite outcome (published or a non-retryable
 * failure), or fails with {@link RetryableProviderException} when nothing was published and trying again is safe;
 * any other failure after the request was sent (a timeout) is ambiguous and is reconciled with {@link #lookup}.
 */
public interface PlatformPublisher {
  String platform();

  Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account);

  /** Asks the platform whether this target's post exists (by the handle we sent with it). */
  Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account);

  /**
   * True where every create carries a key the platform itself holds to one post (an idempotency key, or a
   * client-chosen record key like Bluesky's rkey), fixed per target: then publishing again after a lookup found
   * nothing cannot make a second post, even if the first call lands later. Without such a key, "not found" after an
   * ambiguous outcome proves nothing (the first call may still land) and the target ends unconfirmed.
   */
  default boolean createsAreKeyed() {
    return false;
  }
}
