package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;

/** A definite answer from a platform: published (with its id and link) or failed (with the mapped error). */
public record ProviderOutcome(boolean published, String platformPostId, String permalink, TargetError error, Integer httpStatus) {
  public static ProviderOutcome published(String platformPostId, String permalink, int httpStatus) {
    return new ProviderOutcome(true, platformPostId, permalink, null, httpStatus);
  }

  /** The platform refused the access token itself (401, Meta 190): nothing was published with it. */
  public boolean tokenRejected() {
    return !published && error != null && ProviderErrors.TOKEN_INVALID.equals(error.code());
  }

  public static ProviderOutcome failed(TargetError error, Integer httpStatus) {
    return new ProviderOutcome(false, null, null, error, httpStatus);
  }
}
