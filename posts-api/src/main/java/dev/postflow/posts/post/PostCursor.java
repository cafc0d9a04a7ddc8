package dev.postflow.posts.post;

import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** An opaque list cursor: the sort key (scheduled_at, id) of the last post of the previous page. */
public record PostCursor(Instant scheduledAt, String id) {
  static PostCursor of(Post post) {
    return new PostCursor(post.scheduledAt, post.id);
  }

  String encode() {
    String raw = (scheduledAt == null ? "-" : scheduledAt.toString()) + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static PostCursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      String at = raw.substring(0, bar);
      String id = raw.substring(bar + 1);
      if (!id.startsWith("post_")) throw new IllegalArgumentException();
      return new PostCursor(at.equals("-") ? null : Instant.parse(at), id);
    } catch (RuntimeException e) {
      throw ProblemException.validation(List.of(FieldError.of("cursor", "invalid_cursor", "use the next_cursor of a previous page")));
    }
  }
}
