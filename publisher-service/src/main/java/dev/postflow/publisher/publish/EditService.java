package dev.postflow.publisher.publish;

import dev.postflow.contract.EditRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.PublishResult.Outcome;
import dev.postflow.contract.TargetError;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.ProviderOutcome;
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

  /** {@code firstTried}: when this request was first taken (the retry window counts from there). */
  public Uni<PublishResult> edit(EditRequest request, Instant firstTried) {
    return calls.run(new Edit(request), firstTried);
  }

  private record Edit(EditRequest request) implements RepeatableCalls.Call {
    @Override
    public String requestId() {
      return request.requestId();
    }

    @Override
    public String platform() {
      return request.platform();
    }

    @Override
    public String accountId() {
      return request.accountId();
    }

    @Override
    public String what() {
      return "edit";
    }

    @Override
    public Uni<ProviderOutcome> call(PlatformPublisher publisher, AccountCredentials account) {
      return publisher.edit(request, account);
    }

    /** {@code published_at} of an edited result: when the platform took the new text. */
    @Override
    public PublishResult done(Instant started, Integer httpStatus) {
      return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.edited, null, null, Instant.now(), null,
          started, RepeatableCalls.millisSince(started), httpStatus);
    }

    /** The post is still on the platform with its earlier text; the error says why, and what to do (edit again). */
    @Override
    public PublishResult failed(Instant started, TargetError error, Integer httpStatus) {
      String action = error.action() == null ? "Edit the post again later."
          : error.action().replaceFirst("retry( the post)?\\.?$", "edit the post again.");
      TargetError said = new TargetError(error.code(), error.category(), "the post on " + request.platform() + " keeps its earlier text: "
          + error.message(), error.retryable(), error.providerCode(), action);
      return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.edit_failed, null, null, null, said, started,
          RepeatableCalls.millisSince(started), httpStatus);
    }
  }
}
