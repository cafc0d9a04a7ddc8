package dev.postflow.publisher.publish;

import dev.postflow.contract.EditRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.PublishResult.Outcome;
import dev.postflow.contract.TargetError;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Changes the text of one published target on its platform. An edit is safe to repeat (the same text twice changes
 * nothing), so whatever left its outcome open is tried again for up to the retry window ({@link RepeatableCalls});
 * then the target is answered {@code edit_failed} with the last error, still published with its earlier text.
 */
@ApplicationScoped
public class EditService {
  @Inject RepeatableCalls calls;

  /**
   * {@code firstTried}: when this request was first taken (the retry window counts from there). An edited result's
   * {@code published_at} is when the platform took the new text.
   */
  public Uni<PublishResult> edit(EditRequest request, Instant firstTried) {
    return calls.run(new RepeatableCalls.Call(request.requestId(), request.platform(), request.accountId(), "edit",
        (publisher, account) -> publisher.edit(request, account),
        (started, httpStatus) -> new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.edited, null, null,
            Instant.now(), null, started, RepeatableCalls.millisSince(started), httpStatus),
        (started, error, httpStatus) -> failed(request, started, error, httpStatus)), firstTried);
  }

  /** The post is still on the platform with its earlier text; the error says why, and what to do (edit again). */
  private static PublishResult failed(EditRequest request, Instant started, TargetError error, Integer httpStatus) {
    String action = error.action() == null ? "Edit the post again later."
        : error.action().replaceFirst("retry( the post)?\\.?$", "edit the post again.");
    TargetError said = new TargetError(error.code(), error.category(), "the post on " + request.platform() + " keeps its earlier text: "
        + error.message(), error.retryable(), error.providerCode(), action);
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.edit_failed, null, null, null, said, started,
        RepeatableCalls.millisSince(started), httpStatus);
  }
}
