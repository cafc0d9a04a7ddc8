package dev.postflow.publisher.platform;

import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.UnpublishRequest;
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
   * Takes the target's post down (a thread's replies first, then the post): {@link ProviderOutcome#removed} once it
   * is gone (a post already gone counts: a delete answered 404), a definite failure, or fails with
   * {@link RetryableProviderException} or {@link RateLimitedException} when trying again later is right. A delete
   * is idempotent, so an ambiguous outcome (a timeout) is simply tried again. Platforms without a delete keep this
   * default (posts-api refuses their unpublish before it gets here: PlatformRules.unpublishRefusal).
   */
  default Uni<ProviderOutcome> unpublish(UnpublishRequest request, AccountCredentials account) {
    return Uni.createFrom().item(ProviderOutcome.failed(ProviderErrors.unpublishNotSupported(platform()), null));
  }

  /**
   * Changes the text of the target's post (its first post, for a thread) with the platform's update call:
   * {@link ProviderOutcome#removed} (a definite yes, with no new id) once the platform took it, a definite failure (a
   * post gone is one: 404), or fails with {@link RetryableProviderException} or {@link RateLimitedException} when
   * trying again later is right. Setting the same text twice changes nothing, so an ambiguous outcome is simply tried
   * again. Platforms without an update keep this default (posts-api refuses their edit first: PlatformRules.editRefusal).
   */
  default Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    return Uni.createFrom().item(ProviderOutcome.failed(ProviderErrors.editNotSupported(platform()), null));
  }

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
