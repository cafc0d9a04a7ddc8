package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;

/** A definite answer from a platform: published (with its id and link) or failed (with the mapped error). */
public record ProviderOutcome(boolean published, String platformPostId, String permalink, TargetError error, Integer httpStatus) {
  public static ProviderOutcome published(String platformPostId, String permalink, int httpStatus) {
    return new ProviderOutcome(true, platformPostId, permalink, null, httpStatus);
  }

  /**
   * An unpublish is done: the post is no longer on the platform (deleted now, or gone before: a delete answered 404).
   * {@code published} is the call's success here, as for a publish.
   */
  public static ProviderOutcome removed(int httpStatus) {
    return new ProviderOutcome(true, null, null, null, httpStatus);
  }

  /** The platform took a change of the post (an edit): done, and the post keeps its id. */
  public static ProviderOutcome changed(int httpStatus) {
    return new ProviderOutcome(true, null, null, null, httpStatus);
  }

  /** The platform refused the access token itself (401, Meta 190): nothing was published with it. */
  public boolean tokenRejected() {
    return !published && error != null && ProviderErrors.TOKEN_INVALID.equals(error.code());
  }

  public static ProviderOutcome failed(TargetError error, Integer httpStatus) {
    return new ProviderOutcome(false, null, null, error, httpStatus);
  }

  /**
   * Failed, but the post itself is out: what followed it was refused (a thread's reply, a first comment, a video's
   * thumbnail or captions). The failure keeps the live post's id and link, so the target shows where it is.
   */
  public static ProviderOutcome partlyOut(ProviderOutcome live, ProviderOutcome failed) {
    return new ProviderOutcome(false, live.platformPostId(), live.permalink(), failed.error(), failed.httpStatus());
  }

  /**
   * The same, the platform's error message led by {@code said} (what is out, what was refused, what a retry does), and
   * {@code action} in place of the error's own where one is given.
   */
  public static ProviderOutcome partlyOut(ProviderOutcome live, ProviderOutcome failed, String said, String action) {
    TargetError e = failed.error();
    return partlyOut(live, failed(new TargetError(e.code(), e.category(), said + ": " + e.message(), e.retryable(), e.providerCode(),
        action == null ? e.action() : action), failed.httpStatus()));
  }
}
