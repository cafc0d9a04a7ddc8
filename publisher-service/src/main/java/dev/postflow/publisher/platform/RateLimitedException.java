package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;

/**
 * The platform asked us to slow down (429) for this account or app: retry later, but this says nothing about the
 * platform being down, so it does not count towards the platform's circuit breaker.
 */
public class RateLimitedException extends RetryableProviderException {
  public RateLimitedException(TargetError error, Integer httpStatus) {
    super(error, httpStatus);
  }
}
