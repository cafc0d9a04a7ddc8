package dev.postflow.posts.post;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * A post's "repost": once it is published, it is published again {@code everyDays} days later, {@code times} more
 * times (each repeat a post of its own, made by {@link Reposts}). {@code texts}: the text of each repeat in turn,
 * cycling (platforms such as X and LinkedIn refuse the same text twice); without it, the post's own text. In a post's
 * view: the repeats still to come after it, {@code texts} starting with the next repeat's.
 */
public record Repost(Integer times, Integer everyDays, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> texts) {
  static final int MAX_TIMES = 10;
  static final int MAX_EVERY_DAYS = 365;
  static final int MAX_TEXTS = 10;

  /** The texts after the next repeat took the first: the rest, then the first again (null stays null). */
  static List<String> rotated(List<String> texts) {
    if (texts == null || texts.size() < 2) return texts;
    List<String> rotated = new ArrayList<>(texts.subList(1, texts.size()));
    rotated.add(texts.get(0));
    return rotated;
  }
}
