package dev.postflow.posts;

import java.util.List;

/** Every list answer: {@code {"data": [...], "next_cursor": "…" | null}}. */
public record ListPage<T>(List<T> data, String nextCursor) {
  public static <T> ListPage<T> of(List<T> data) {
    return new ListPage<>(data, null);
  }
}
