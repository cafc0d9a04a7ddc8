package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;
import java.time.Duration;

/**
 * The platform asked us to slow down (429) for this account or app: retry later, but this says nothing about the
 * platform being down, so it does not count towards the platform's circuit breaker. {@code retryAfter} is the
 * platform's own reset time where it gives one (X's x-rate-limit-reset, Bluesky's RateLimit-Reset, …), else null.
 */
public class RateLimitedException extends RetryableProviderException {
  private final Duration retryAfter;

  public RateLimitedException(TargetError error, Integer httpStatus) {
    this(error, httpStatus, null);
  }

  public RateLimitedException(TargetError error, Integer httpStatus, Duration retryAfter) {
    super(error, httpStatus);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
