package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;

/**
 * A thread ({@code platform_options.<platform>.thread}): the post, then each follow-up as a reply to the one before.
 * Each reply has its own key, fixed per target, as the post has (Bluesky's rkey, Mastodon's Idempotency-Key), so
 * publishing again continues after the replies that are out and never repeats one. The target is published when the
 * whole thread is.
 */
public final class ThreadReplies {
  private ThreadReplies() {}

  /** The handle naming reply {@code n} (1-based) of a target's thread, next to the post's own ({@code rkey.2}). */
  public static String handle(String name, int n) {
    return name + "." + n;
  }

  /** A reply refused for good: the platform's error, saying how far the thread got and that a retry continues it. */
  public static ProviderOutcome stopped(ProviderOutcome failed, int reply, int replies) {
    TargetError e = failed.error();
    String message = "the thread stopped at reply " + reply + " of " + replies + " (the post" + (reply > 1 ? " and " + (reply - 1)
        + (reply == 2 ? " reply" : " replies") : "") + " are published; a retry continues after them): " + e.message();
    return ProviderOutcome.failed(new TargetError(e.code(), e.category(), message, e.retryable(), e.providerCode(), e.action()), failed.httpStatus());
  }
}
