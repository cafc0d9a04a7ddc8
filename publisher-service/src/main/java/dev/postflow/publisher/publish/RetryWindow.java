package dev.postflow.publisher.publish;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How long a request whose outcome was temporary (5xx, 429, the platform unreachable) is taken again: for up to the
 * retry window from its first try, each time after the wait the platform named (capped at max-rate-limit-wait), or at
 * once. Publishes and unpublishes share it.
 */
@ApplicationScoped
public class RetryWindow {
  @ConfigProperty(name = "postflow.publisher.retry-window", defaultValue = "PT10M")
  Duration retryWindow;

  /** The longest a rate-limited request waits in its account lane before it is taken again. */
  @ConfigProperty(name = "postflow.publisher.max-rate-limit-wait", defaultValue = "PT15M")
  Duration maxRateLimitWait;

  /** The wait before the next try (zero when the platform named none), or null when the window is over. */
  public Duration pause(Instant firstTried, Duration named) {
    Instant deadline = firstTried.plus(retryWindow);
    Instant now = Instant.now();
    if (!now.isBefore(deadline)) return null;
    Duration left = Duration.between(now, deadline);
    Duration wait = named == null || named.isNegative() ? Duration.ZERO : named.compareTo(maxRateLimitWait) > 0 ? maxRateLimitWait : named;
    return wait.compareTo(left) < 0 ? wait : left;
  }

  /** Whether a slot that frees at {@code until} is soon enough to wait for in the account's lane. */
  public boolean worthWaiting(Instant firstTried, Instant until) {
    return Duration.between(Instant.now(), until).compareTo(maxRateLimitWait) <= 0 && until.isBefore(firstTried.plus(retryWindow));
  }

  /** After {@code pause}, fails with RetryLater: the consumer takes the request again. */
  public static <T> Uni<T> later(Duration pause, String why) {
    Uni<Void> waited = pause == null || pause.isNegative() || pause.isZero() ? Uni.createFrom().voidItem()
        : Uni.createFrom().voidItem().onItem().delayIt().by(pause);
    return waited.chain(() -> Uni.createFrom().failure(new PublishService.RetryLater(why)));
  }
}
