package dev.postflow.publisher.publish;

import dev.postflow.contract.PublishResult;
import dev.postflow.contract.TargetError;
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
 * Platform calls that are safe to repeat: a delete (a post already gone counts as taken down) and an edit (setting the
 * same text twice changes nothing). Unlike a publish they need no ledger and no reconciling: whatever left the outcome
 * open (a timeout, a 5xx, a rate limit, the platform unreachable) is tried again, with backoff, for up to the retry
 * window; then the request is answered with the last error. A definite refusal (permission, a revoked token) ends it
 * at once.
 */
@ApplicationScoped
public class RepeatableCalls {
  @Inject AccountCredentialsRepository accounts;
  @Inject Platforms platforms;
  @Inject RetryWindow window;

  /** How long one call (a delete with a thread's replies) may take before it counts as no answer and is tried again. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One request's call and how its outcome is answered: {@code what} the call does, for logs and errors ("delete",
   * "edit"); {@code done} answers a definite yes, {@code failed} a definite no or the last error once the window closed.
   */
  public record Call(String requestId, String platform, String accountId, String what,
      java.util.function.BiFunction<PlatformPublisher, AccountCredentials, Uni<ProviderOutcome>> call,
      java.util.function.BiFunction<Instant, Integer, PublishResult> done, Failed failed) {}

  public interface Failed {
    PublishResult answer(Instant started, TargetError error, Integer httpStatus);
  }

  /** {@code firstTried}: when this request was first taken (the retry window counts from there). */
  public Uni<PublishResult> run(Call request, Instant firstTried) {
    Instant started = Instant.now();
    PlatformPublisher publisher = platforms.get(request.platform());
    return accounts.find(request.accountId()).chain(account -> {
      TargetError unusable = PublishService.unusable(request.platform(), publisher, account);
      if (unusable != null) return Uni.createFrom().item(request.failed().answer(started, unusable, null));
      return Uni.createFrom().deferred(() -> request.call().apply(publisher, account))
          .ifNoItem().after(CALL_TIMEOUT).fail()
          .map(outcome -> outcome.published() ? request.done().apply(started, outcome.httpStatus())
              : request.failed().answer(started, outcome.error(), outcome.httpStatus()))
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
              Log.warnf("%s %s got no answer (%s); trying again", request.what(), request.requestId(), failure.toString());
              error = ProviderErrors.network(request.platform(), "no answer to the " + request.what() + ": " + failure.getMessage());
            }
            Duration pause = window.pause(firstTried, wait);
            if (pause == null) return Uni.createFrom().item(request.failed().answer(started, error, status));
            return RetryWindow.later(pause, request.requestId() + ": " + request.what() + " " + error.code() + "; trying again");
          });
    });
  }

  static long millisSince(Instant started) {
    return Duration.between(started, Instant.now()).toMillis();
  }
}
