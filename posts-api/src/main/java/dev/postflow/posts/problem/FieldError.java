package dev.postflow.posts.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One problem with one field of a request: {@code {field, code, message, limit?, actual?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String code, String message, Long limit, Long actual) {
  public static FieldError of(String field, String code, String message) {
    return new FieldError(field, code, message, null, null);
  }
}
