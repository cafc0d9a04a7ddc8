package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;

/** Nothing was published and trying again is safe (5xx, 429, connection refused before sending). */
public class RetryableProviderException extends RuntimeException {
  private final TargetError error;
  private final Integer httpStatus;

  public RetryableProviderException(TargetError error, Integer httpStatus) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
    this.httpStatus = httpStatus;
  }

  public TargetError error() {
    return error;
  }

  public Integer httpStatus() {
    return httpStatus;
  }
}
