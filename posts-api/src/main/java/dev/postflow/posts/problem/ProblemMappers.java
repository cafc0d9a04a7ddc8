package dev.postflow.posts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as problem+json; no stack trace ever reaches a caller. */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return respond(e);
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e) {
    String field = path(e);
    return respond(ProblemException.validation(
        List.of(FieldError.of(field, "unknown_field", "'" + field + "' is not a field of this request"))));
  }

  @ServerExceptionMapper
  public Response wrongType(InvalidFormatException e) {
    String field = path(e);
    return respond(ProblemException.validation(List.of(FieldError.of(field, "invalid_type",
        "'" + field + "' must be " + describe(e.getTargetType())))));
  }

  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    String field = path(e);
    if (field.isEmpty()) {
      return respond(new ProblemException(400, "malformed_json", "Malformed JSON", "the body must be a JSON object"));
    }
    return respond(ProblemException.validation(List.of(FieldError.of(field, "invalid_type",
        "'" + field + "' must be " + describe(e.getTargetType())))));
  }

  @ServerExceptionMapper
  public Response malformed(JsonProcessingException e) {
    return respond(new ProblemException(400, "malformed_json", "Malformed JSON",
        "the body is not valid JSON: " + e.getOriginalMessage()));
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return respond(new ProblemException(404, "not_found", "Not found", "no such resource"));
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    return respond(new ProblemException(405, "method_not_allowed", "Method not allowed", "this method is not allowed here"));
  }

  @ServerExceptionMapper
  public Response unsupported(NotSupportedException e) {
    return respond(new ProblemException(415, "unsupported_media_type", "Unsupported media type",
        "send application/json"));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof UnrecognizedPropertyException unknown) return unknownField(unknown);
      if (cause instanceof InvalidFormatException invalid) return wrongType(invalid);
      if (cause instanceof MismatchedInputException mismatched) return mismatched(mismatched);
      if (cause instanceof JsonProcessingException json) return malformed(json);
    }
    if (status == 413) {
      return respond(new ProblemException(413, "payload_too_large", "Payload too large", "the body is larger than allowed"));
    }
    if (status >= 500) {
      Log.error("request failed", e);
      return respond(new ProblemException(500, "internal_error", "Internal error", "an unexpected error; it was logged"));
    }
    String code = status == 406 ? "not_acceptable" : "bad_request";
    return respond(new ProblemException(status, code, e.getResponse().getStatusInfo().getReasonPhrase(), "the request was not understood"));
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    if (isNulCharacter(e)) {
      // PostgreSQL cannot store U+0000 in text; any field may carry it, so it is caught where it is refused.
      return respond(new ProblemException(400, "invalid_character", "Invalid character",
          "a text value contains the NUL character (\\u0000), which cannot be stored; remove it"));
    }
    Log.error("request failed", e);
    return respond(new ProblemException(500, "internal_error", "Internal error", "an unexpected error; it was logged"));
  }

  /** PostgreSQL refuses U+0000 in text with SQLSTATE 22021 (character_not_in_repertoire). */
  private static boolean isNulCharacter(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof io.vertx.pgclient.PgException pg && "22021".equals(pg.getSqlState())) return true;
      if (cause instanceof org.hibernate.JDBCException jdbc && "22021".equals(jdbc.getSQLState())) return true;
    }
    return false;
  }

  /**
   * The problem answer any failure of a request gets, for answers made by hand: one item of a bulk create fails with
   * the problem it would have got alone, while the others go on.
   */
  public static Response toResponse(Throwable e) {
    ProblemMappers mappers = new ProblemMappers();
    if (e instanceof ProblemException problem) return respond(problem);
    if (e instanceof UnrecognizedPropertyException unknown) return mappers.unknownField(unknown);
    if (e instanceof InvalidFormatException invalid) return mappers.wrongType(invalid);
    if (e instanceof MismatchedInputException mismatched) return mappers.mismatched(mismatched);
    if (e instanceof JsonProcessingException json) return mappers.malformed(json);
    if (e instanceof WebApplicationException web) return mappers.web(web);
    return mappers.unexpected(e instanceof Exception exception ? exception : new RuntimeException(e));
  }

  public static Response respond(ProblemException e) {
    return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem()).build();
  }

  private static String path(JsonProcessingException e) {
    if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping)) return "";
    return mapping.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String describe(Class<?> type) {
    if (type == null) return "of another type";
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) return "a number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (java.util.Collection.class.isAssignableFrom(type)) return "an array";
    if (java.util.Map.class.isAssignableFrom(type)) return "an object";
    if (type.isEnum()) return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    return "an object";
  }
}
