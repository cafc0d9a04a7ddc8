package dev.postflow.posts.post;

/**
 * A post's "repost": once it is published, it is published again {@code everyDays} days later, {@code times} more
 * times (each repeat a post of its own, made by {@link Reposts}). In a post's view: the repeats still to come after it.
 */
public record Repost(Integer times, Integer everyDays) {
  static final int MAX_TIMES = 10;
  static final int MAX_EVERY_DAYS = 365;
}
