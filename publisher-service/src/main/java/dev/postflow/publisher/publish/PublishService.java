package dev.postflow.publisher.publish;

import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.PublishResult.Outcome;
import dev.postflow.contract.TargetError;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.contract.platform.PlatformRules;
import java.util.List;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.account.AccountCredentialsRepository;
import dev.postflow.publisher.account.TokenRefresher;
import dev.postflow.publisher.account.TokenRules;
import dev.postflow.publisher.ledger.PublishLedger;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.Platforms;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** Publishes one claimed target: ledger first, then the platform, then the ledger's result. */
@ApplicationScoped
public class PublishService {
  @Inject PublishLedger ledger;
  @Inject AccountCredentialsRepository accounts;
  @Inject Platforms platforms;
  @Inject ProviderQuotas quotas;
  @Inject TokenRefresher tokens;

  @Inject RetryWindow window;

  /** Thrown when nothing was published and the request should be taken again later. */
  public static class RetryLater extends RuntimeException {
    public RetryLater(String message) {
      super(message, null, false, false);
    }
  }

  public Uni<PublishResult> publish(PublishRequest request) {
    Instant started = Instant.now();
    // The ledger row is written and the account read at the same time: both must be done before the platform is
    // called, and neither needs the other (one round trip of waiting instead of two).
    return Uni.combine().all().unis(ledger.begin(request), accounts.find(request.accountId())).withUni((entry, account) -> switch (entry.state()) {
      case FINISHED -> Uni.createFrom().item(entry.result());
      case IN_DOUBT -> settled(request, entry, started,
          withAccount(request, account, started, (publisher, active) -> reconcile(request, publisher, active, started, true)));
      case NEW -> quotas.check(request.platform(), request.accountId(), account == null ? null : account.oauthAppId(), request.targetId(),
          ProviderQuotas.units(request), ProviderQuotas.countedApart(request)).chain(quotaWait -> {
        if (quotaWait != null) return waitForQuota(request, entry, started, quotaWait);
        return settled(request, entry, started,
            withAccount(request, account, started, (publisher, active) -> call(request, publisher, active, started, true, true)));
      });
    });
  }

  private Uni<PublishResult> settled(PublishRequest request, PublishLedger.Entry entry, Instant started, Uni<PublishResult> outcome) {
    return outcome.chain(result -> settle(request, entry, result, null))
        // The platform named its reset time (X, Bluesky, Mastodon, Meta): that is how long this account waits.
        .onFailure(RateLimitedException.class).recoverWithUni(failure -> {
          RateLimitedException limited = (RateLimitedException) failure;
          return settle(request, entry, failed(request, started, limited.error(), limited.httpStatus()), limited.retryAfter());
        });
  }

  /** A temporary failure within the retry window is taken again later (after {@code wait}); anything else is final. */
  private Uni<PublishResult> settle(PublishRequest request, PublishLedger.Entry entry, PublishResult result, Duration wait) {
    boolean temporary = result.outcome() == PublishResult.Outcome.failed && result.error() != null && result.error().retryable();
    Duration pause = temporary ? window.pause(entry.firstStartedAt(), wait) : null;
    if (pause != null) return retryLater(request, pause, result.error().code() + ", nothing was published; trying again later");
    return ledger.finish(result).replaceWith(result);
  }

  /** Nothing was sent: the ledger row is marked for retry and, after {@code pause}, the request is taken again. */
  private Uni<PublishResult> retryLater(PublishRequest request, Duration pause, String why) {
    return ledger.markRetry(request.requestId()).chain(() -> RetryWindow.later(pause, request.requestId() + ": " + why));
  }

  /**
   * The account, or the platform app all its accounts share, used up a quota of its platform: nothing is sent. A slot
   * that frees soon (within max-rate-limit-wait and the retry window) is waited for in the account's lane; a later one
   * ends the target as quota_exhausted, naming the time the slot frees, rather than holding the queue for hours.
   */
  private Uni<PublishResult> waitForQuota(PublishRequest request, PublishLedger.Entry entry, Instant started, ProviderQuotas.Wait wait) {
    Duration until = Duration.between(Instant.now(), wait.until());
    if (window.worthWaiting(entry.firstStartedAt(), wait.until())) {
      Log.infof("%s waits %d ms for %s's quota (%s)", request.requestId(), until.toMillis(), request.platform(), wait.quota());
      return retryLater(request, until, "waited for " + request.platform() + "'s quota; trying again");
    }
    PublishResult result = failed(request, started, ProviderErrors.quotaExhausted(request.platform(), "quota:" + wait.quota(),
        request.platform() + " allows " + wait.quota() + " " + wait.scope().description + "; the next slot frees at " + wait.until()), null);
    return ledger.finish(result).replaceWith(result);
  }


  private interface PlatformCall {
    Uni<PublishResult> apply(PlatformPublisher publisher, AccountCredentials account);
  }

  private Uni<PublishResult> withAccount(PublishRequest request, AccountCredentials account, Instant started, PlatformCall call) {
    PlatformPublisher publisher = platforms.get(request.platform());
    TargetError unusable = unusable(request.platform(), publisher, account);
    if (unusable != null) return Uni.createFrom().item(failed(request, started, unusable, null));
    return call.apply(publisher, account);
  }

  /** Why nothing can be sent for this account: no publisher for its platform here, or the account missing or not active. */
  static TargetError unusable(String platform, PlatformPublisher publisher, AccountCredentials account) {
    if (publisher == null) return ProviderErrors.platformNotSupported(platform);
    if (account == null) return ProviderErrors.accountNotActive("missing");
    if (!"active".equals(account.status())) return ProviderErrors.accountNotActive(account.status());
    return null;
  }

  /**
   * {@code mayRepeat}: whether an ambiguous outcome may be followed by one keyed repeat (see reconcile);
   * {@code mayRefresh}: whether a rejected token may be refreshed and the call made once more (see afterTokenRejected).
   */
  private Uni<PublishResult> call(PublishRequest request, PlatformPublisher publisher, AccountCredentials account, Instant started,
      boolean mayRepeat, boolean mayRefresh) {
    // The same rules posts-api validated with (event-contract's PlatformRules): nothing the platform would refuse is sent.
    PlatformRules rules = PlatformRules.of(request.platform());
    if (rules != null) {
      List<ContentCheck.Violation> problems = ContentCheck.check(rules, request.text(), request.mediaOrEmpty(),
          request.platformOptions() == null ? java.util.Map.of() : request.platformOptions());
      if (!problems.isEmpty()) {
        ContentCheck.Violation first = problems.get(0);
        return Uni.createFrom().item(failed(request, started, ProviderErrors.content(request.platform(), first.code(), null,
            first.field() + ": " + first.message()), null));
      }
    }
    return publisher.publish(request, account)
        .chain(outcome -> mayRefresh && outcome.tokenRejected() && TokenRules.refreshesOnRejection(request.platform())
            ? afterTokenRejected(request, publisher, account, started, mayRepeat, outcome)
            : Uni.createFrom().item(result(request, started, outcome)))
        .onFailure().recoverWithUni(failure -> {
          if (failure instanceof RateLimitedException limited && limited.retryAfter() != null) {
            return Uni.createFrom().failure(limited); // settled by publish(), which waits for the named reset
          }
          if (failure instanceof RetryableProviderException retryable) {
            return Uni.createFrom().item(failed(request, started, retryable.error(), retryable.httpStatus()));
          }
          if (failure instanceof dev.postflow.publisher.platform.Http.UnsafeServerException unsafe) {
            return Uni.createFrom().item(failed(request, started, new TargetError("unsafe_server", "system", unsafe.getMessage(), false, null,
                "Reconnect the account with a public server URL."), null));
          }
          if (failure instanceof CircuitBreakerOpenException) {
            return Uni.createFrom().item(failed(request, started, ProviderErrors.unavailable(request.platform()), null));
          }
          if (failure instanceof TimeoutException) {
            Log.warnf("publish %s timed out after sending; reconciling", request.requestId());
            return reconcile(request, publisher, account, started, mayRepeat);
          }
          Log.errorf(failure, "publish %s failed unexpectedly; reconciling", request.requestId());
          return reconcile(request, publisher, account, started, mayRepeat);
        });
  }

  /**
   * The platform refused the access token (401: revoked, or expired before its time), so nothing was published with
   * it. Where the platform has OAuth 2.0 refresh tokens, the token is refreshed now (or the one another publish or
   * replica stored meanwhile is taken) and the same call is made once more, with the handles it stored, as a
   * redelivery would. A refresh the platform refuses for good ends the target (the account is reauth_required now);
   * a token endpoint that fails for now makes it a temporary failure, retried within the retry window. Only one
   * refresh per call: a second 401 with a fresh token is the platform's final answer.
   */
  private Uni<PublishResult> afterTokenRejected(PublishRequest request, PlatformPublisher publisher, AccountCredentials account,
      Instant started, boolean mayRepeat, ProviderOutcome rejection) {
    Context context = Vertx.currentContext(); // the refresh blocks (JDBC, HTTP): on a worker, then back here
    return Uni.createFrom().item(() -> tokens.refreshRejected(account.accountId(), account.accessToken()))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .emitOn(context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run()))
        .onFailure().recoverWithItem(e -> new TokenRefresher.Transient(e.toString())) // not an ambiguous outcome: nothing was sent
        .chain(refresh -> {
          if (refresh instanceof TokenRefresher.Refreshed fresh) {
            Log.infof("%s: %s rejected the token; sending again with a refreshed one", request.requestId(), request.platform());
            return call(request, publisher, account.withAccessToken(fresh.accessToken()), started, mayRepeat, false);
          }
          if (refresh instanceof TokenRefresher.Rejected refused) {
            return Uni.createFrom().item(failed(request, started,
                ProviderErrors.refreshRefused(request.platform(), rejection.error(), refused.reason()), rejection.httpStatus()));
          }
          if (refresh instanceof TokenRefresher.Transient failing) {
            return Uni.createFrom().item(failed(request, started,
                ProviderErrors.refreshFailed(request.platform(), rejection.error(), failing.reason()), rejection.httpStatus()));
          }
          return Uni.createFrom().item(result(request, started, rejection)); // nothing to refresh with
        });
  }

  /** How long a lookup that gets no answer (platform unreachable, 5xx, timeout) is asked again before the target is unconfirmed. */
  @ConfigProperty(name = "postflow.publisher.lookup-window")
  Duration lookupWindow;

  /**
   * After an ambiguous outcome: ask the platform. Found: published. Not found: never retried blindly. Where every
   * create carries a key the platform holds to one post ({@link PlatformPublisher#createsAreKeyed}: the sandbox's
   * Idempotency-Key, Bluesky's rkey), the same create is sent once more: it makes the post if the first never
   * landed, and is answered with the first post if that lands after all (the chaos run's case: the publisher, or
   * the sandbox's host, killed during the call). Elsewhere "not found" cannot prove the first call will not still
   * land, so the target is unconfirmed. A lookup is a read, so one that gets no answer (the platform restarting) is
   * asked again with backoff for up to lookup-window; only then is the target unconfirmed for want of an answer.
   */
  private Uni<PublishResult> reconcile(PublishRequest request, PlatformPublisher publisher, AccountCredentials account, Instant started,
      boolean mayRepeat) {
    return Uni.createFrom().deferred(() -> publisher.lookup(request, account))
        .ifNoItem().after(Duration.ofSeconds(15)).fail()
        .onFailure().invoke(e -> Log.infof("lookup of %s got no answer (%s); asking again", request.requestId(), e.toString()))
        .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(15)).withJitter(0.2).expireIn(lookupWindow.toMillis())
        .onItemOrFailure().transformToUni((found, lookupFailure) -> {
          if (lookupFailure != null) {
            Log.warnf("lookup of %s failed: %s", request.requestId(), lookupFailure.toString());
            return Uni.createFrom().item(unconfirmed(request, started));
          }
          if (found.isPresent()) return Uni.createFrom().item(result(request, started, found.get()));
          if (mayRepeat && publisher.createsAreKeyed()) {
            Log.infof("%s: not on %s after an ambiguous outcome; sending the same keyed create once more", request.requestId(),
                request.platform());
            return call(request, publisher, account, started, false, true);
          }
          return Uni.createFrom().item(unconfirmed(request, started));
        });
  }

  private static PublishResult result(PublishRequest request, Instant started, ProviderOutcome outcome) {
    if (!outcome.published()) {
      // failed; where the post itself is out (a reply or comment after it refused), its id and link go with the failure
      return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.failed, outcome.platformPostId(),
          outcome.permalink(), null, outcome.error(), started, millisSince(started), outcome.httpStatus());
    }
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.published, outcome.platformPostId(),
        outcome.permalink(), Instant.now(), null, started, millisSince(started), outcome.httpStatus());
  }

  private static PublishResult failed(PublishRequest request, Instant started, TargetError error, Integer httpStatus) {
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.failed, null, null, null, error, started,
        millisSince(started), httpStatus);
  }

  private static PublishResult unconfirmed(PublishRequest request, Instant started) {
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), Outcome.unconfirmed, null, null, null,
        ProviderErrors.outcomeUnknown(request.platform()), started, millisSince(started), null);
  }

  private static long millisSince(Instant started) {
    return Duration.between(started, Instant.now()).toMillis();
  }
}
