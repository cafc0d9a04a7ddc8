package dev.postflow.publisher.publish;

import dev.postflow.contract.PublishResult;
import dev.postflow.contract.PublishResult.Outcome;
import dev.postflow.contract.TargetError;
import dev.postflow.contract.UnpublishRequest;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.account.AccountCredentialsRepository;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.Platforms;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * Takes one target's post down from its platform. Unlike a publish, a delete is safe to repeat (a post already gone
 * counts as taken down), so it needs no ledger and no reconciling: whatever left the outcome open (a timeout, a 5xx,
 * a rate limit, the platform unreachable) is tried again, with backoff, for up to the retry window; then the target is
 * answered {@code unpublish_failed} with the last error. A definite refusal (permission, a revoked token) ends it at once.
 */
@ApplicationScoped
public class UnpublishService {
  @Inject AccountCredentialsRepository accounts;
  @Inject Platforms platforms;

  @Inject RetryWindow window;

  /** How long one delete (with a thread's replies) may take before it counts as no answer and is tried again. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  /** {@code firstTried}: when this request was first taken (the retry window counts from there). */
  public Uni<PublishResult> unpublish(UnpublishRequest request, Instant firstTried) {
    Instant started = Instant.now();
    PlatformPublisher publisher = platforms.get(request.platform());
    return accounts.find(request.accountId()).chain(account -> {
      TargetError unusable = PublishService.unusable(request.platform(), publisher, account);
      if (unusable != null) return Uni.createFrom().item(failed(request, started, unusable, null));
      return call(request, publisher, account, started, firstTried);
    });
  }

  private Uni<PublishResult> call(UnpublishRequest request, PlatformPublisher publisher, AccountCredentials account, Instant started,
      Instant firstTried) {
    return Uni.createFrom().deferred(() -> publisher.unpublish(request, account))
        .ifNoItem().after(CALL_TIMEOUT).fail()
        .map(outcome -> outcome.published() ? removed(request, started, outcome.httpStatus()) : failed(request, started, outcome.error(), outcome.httpStatus()))
        .onFailure().recoverWithUni(failure -> {
          TargetError error;
          Integer status = null;
          Duration wait = null;
          if (failure instanceof RateLimitedException limited) {
            error = limited.error();
            status = limited.httpStatus();
            wait = limited.retryAfter();
          } else if (failure instanceof RetryableProviderException retryable) {
            error = retryable.error();
            status = retryable.httpStatus();
          } else {
            Log.warnf("unpublish %s got no answer (%s); trying again", request.requestId(), failure.toString());
            error = ProviderErrors.network(request.platform(), "no answer to the delete: " + failure.getMessage());
          }
          Duration pause = window.pause(firstTried, wait);
          if (pause == null) return Uni.createFrom().item(failed(request, started, error, status));
          return RetryWindow.later(pause, request.requestId() + ": unpublish " + error.code() + "; trying again");
        });
  }

  private static PublishResult removed(UnpublishRequest request, Instant started, Integer httpStatus) {
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.unpublished, null, null, null, null, started,
        millisSince(started), httpStatus);
  }

  /** The post is still on the platform; the error says why, and what to do (unpublish again, not retry a publish). */
  private static PublishResult failed(UnpublishRequest request, Instant started, TargetError error, Integer httpStatus) {
    // the platform's action ends "then retry (the post)": here what to do again is the unpublish
    String action = error.action() == null ? "Unpublish the post again later."
        : error.action().replaceFirst("retry( the post)?\\.?$", "unpublish the post again.");
    TargetError said = new TargetError(error.code(), error.category(), "the post is still on " + request.platform() + ": " + error.message(),
        error.retryable(), error.providerCode(), action);
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.unpublish_failed, null, null, null, said, started,
        millisSince(started), httpStatus);
  }

  private static long millisSince(Instant started) {
    return Duration.between(started, Instant.now()).toMillis();
  }
}
