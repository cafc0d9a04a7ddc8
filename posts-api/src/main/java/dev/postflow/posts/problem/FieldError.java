package dev.postflow.posts.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One problem with one field of a request: {@code {field, code, message, limit?, actual?, post_id?}}; {@code post_id}
 * names the existing post a problem is about (duplicate_content).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String code, String message, Long limit, Long actual, String postId) {
  public FieldError(String field, String code, String message, Long limit, Long actual) {
    this(field, code, message, limit, actual, null);
  }

  public static FieldError of(String field, String code, String message) {
    return new FieldError(field, code, message, null, null);
  }
}
