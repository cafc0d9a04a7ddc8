package dev.postflow.publisher.publish;

import dev.postflow.contract.PublishResult;
import dev.postflow.contract.PublishResult.Outcome;
import dev.postflow.contract.TargetError;
import dev.postflow.contract.UnpublishRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Takes one target's post down from its platform. A delete is safe to repeat (a post already gone counts as taken
 * down), so whatever left its outcome open is tried again for up to the retry window ({@link RepeatableCalls}); then
 * the target is answered {@code unpublish_failed} with the last error.
 */
@ApplicationScoped
public class UnpublishService {
  @Inject RepeatableCalls calls;

  /** {@code firstTried}: when this request was first taken (the retry window counts from there). */
  public Uni<PublishResult> unpublish(UnpublishRequest request, Instant firstTried) {
    return calls.run(new RepeatableCalls.Call(request.requestId(), request.platform(), request.accountId(), "delete",
        (publisher, account) -> publisher.unpublish(request, account),
        (started, httpStatus) -> new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.unpublished, null, null,
            null, null, started, RepeatableCalls.millisSince(started), httpStatus),
        (started, error, httpStatus) -> failed(request, started, error, httpStatus)), firstTried);
  }

  /** The post is still on the platform; the error says why, and what to do (unpublish again, not retry a publish). */
  private static PublishResult failed(UnpublishRequest request, Instant started, TargetError error, Integer httpStatus) {
    // the platform's action ends "then retry (the post)": here what to do again is the unpublish
    String action = error.action() == null ? "Unpublish the post again later."
        : error.action().replaceFirst("retry( the post)?\\.?$", "unpublish the post again.");
    TargetError said = new TargetError(error.code(), error.category(), "the post is still on " + request.platform() + ": " + error.message(),
        error.retryable(), error.providerCode(), action);
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.unpublish_failed, null, null, null, said, started,
        RepeatableCalls.millisSince(started), httpStatus);
  }
}
