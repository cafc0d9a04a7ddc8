package dev.postflow.posts.problem;

import java.util.List;

/** Thrown anywhere in a request; answered as application/problem+json by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String code;
  private final String title;
  private final List<FieldError> errors;

  public ProblemException(int status, String code, String title, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
  }

  public ProblemException(int status, String code, String title, String detail) {
    this(status, code, title, detail, null);
  }

  public static ProblemException notFound(String what) {
    return new ProblemException(404, "not_found", "Not found", what + " does not exist");
  }

  public static ProblemException invalidState(String detail) {
    return new ProblemException(409, "invalid_state", "Invalid state", detail);
  }

  public static ProblemException validation(List<FieldError> errors) {
    return new ProblemException(400, "validation_failed", "Validation failed",
        errors.size() + (errors.size() == 1 ? " problem" : " problems") + " with the request", List.copyOf(errors));
  }

  /** A 400 about one field. */
  public static ProblemException invalidField(String field, String code, String message) {
    return validation(List.of(FieldError.of(field, code, message)));
  }

  public Problem toProblem() {
    return new Problem("https://postflow.dev/problems/" + code.replace('_', '-'), title, status, getMessage(), code, errors);
  }

  public int status() {
    return status;
  }
}
