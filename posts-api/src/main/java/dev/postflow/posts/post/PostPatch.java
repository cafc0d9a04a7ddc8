package dev.postflow.posts.post;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A checked PATCH body (merge semantics: a field present is changed, {@code null} clears it, an absent field
 * stays). Built from the raw JSON so "absent" and "null" can be told apart.
 */
public final class PostPatch {
  static final Set<String> FIELDS = Set.of("text", "scheduled_at", "queue_id", "time_zone", "external_id", "metadata", "platform_options",
      "repost", "allow_duplicate");

  final JsonNode body;
  final Instant scheduledAt;
  /** With {@code has("repost")}: the new repeats, or null for none. */
  final Repost repost;

  private PostPatch(JsonNode body, Instant scheduledAt, Repost repost) {
    this.body = body;
    this.scheduledAt = scheduledAt;
    this.repost = repost;
  }

  /** {@code "allow_duplicate": true}: the edit may repeat another post's content (not stored: it holds for this edit). */
  boolean allowsDuplicate() {
    return body.path("allow_duplicate").asBoolean(false);
  }

  boolean has(String field) {
    return body.has(field);
  }

  String text(String field) {
    return body.get(field).isNull() ? null : body.get(field).asText();
  }

  /** Checks shape, types and times; throws a validation problem listing every problem. */
  public static PostPatch check(JsonNode body, Instant now, Duration horizon) {
    if (body == null || !body.isObject()) {
      throw new ProblemException(400, "malformed_json", "Malformed JSON", "the body must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(FieldError.of(name, name.equals("targets") || name.equals("account_ids") || name.equals("media_ids")
            ? "not_patchable" : "unknown_field", "'" + name + "' cannot be changed with PATCH; patchable: " + FIELDS));
      }
    }
    for (String field : List.of("text", "scheduled_at", "queue_id", "time_zone", "external_id")) {
      if (body.has(field) && !body.get(field).isNull() && !body.get(field).isTextual()) {
        errors.add(FieldError.of(field, "invalid_type", "'" + field + "' must be a string or null"));
      }
    }
    for (String field : List.of("metadata", "platform_options")) {
      if (body.has(field) && !body.get(field).isNull() && !body.get(field).isObject()) {
        errors.add(FieldError.of(field, "invalid_type", "'" + field + "' must be an object or null"));
      }
    }
    if (body.has("allow_duplicate") && !body.get("allow_duplicate").isBoolean()) {
      errors.add(FieldError.of("allow_duplicate", "invalid_type", "'allow_duplicate' must be true or false"));
    }
    if (body.has("scheduled_at") && body.hasNonNull("queue_id")) {
      errors.add(FieldError.of("queue_id", "conflicting_modes", "give scheduled_at or queue_id (the queue's next free slot), not both"));
    }
    Instant scheduledAt = null;
    if (body.hasNonNull("scheduled_at") && body.get("scheduled_at").isTextual()) {
      scheduledAt = PostValidator.parseInstant(body.get("scheduled_at").asText(), "scheduled_at", errors);
      if (scheduledAt != null) PostValidator.checkScheduledAt(scheduledAt, now, horizon, errors);
    }
    if (body.hasNonNull("time_zone") && body.get("time_zone").isTextual()) {
      try {
        ZoneId.of(body.get("time_zone").asText());
      } catch (Exception e) {
        errors.add(FieldError.of("time_zone", "invalid_time_zone", "time_zone must be an IANA zone such as Europe/Berlin"));
      }
    }
    Repost repost = body.hasNonNull("repost") ? repost(body.get("repost"), errors) : null;
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    return new PostPatch(body, scheduledAt, repost);
  }

  private static Repost repost(JsonNode node, List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(FieldError.of("repost", "invalid_type", "'repost' must be an object {times, every_days} or null"));
      return null;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!Set.of("times", "every_days", "texts").contains(name)) {
        errors.add(FieldError.of("repost." + name, "unknown_field", "repost has times, every_days and texts"));
      }
    }
    List<String> texts = null;
    JsonNode textsNode = node.get("texts");
    if (textsNode != null && !textsNode.isNull()) {
      if (!textsNode.isArray()) {
        errors.add(FieldError.of("repost.texts", "invalid_type", "repost.texts must be an array of texts"));
      } else {
        texts = new ArrayList<>();
        for (int k = 0; k < textsNode.size(); k++) {
          JsonNode text = textsNode.get(k);
          if (text.isNull() || text.isTextual()) texts.add(text.isNull() ? null : text.asText());
          else errors.add(FieldError.of("repost.texts[" + k + "]", "invalid_type", "each repost text must be a string"));
        }
      }
    }
    Integer[] values = new Integer[2];
    String[] names = {"times", "every_days"};
    for (int i = 0; i < 2; i++) {
      JsonNode value = node.get(names[i]);
      if (value == null || value.isNull()) continue;
      if (value.isIntegralNumber() && value.canConvertToInt()) values[i] = value.intValue();
      else errors.add(FieldError.of("repost." + names[i], "invalid_type", "repost." + names[i] + " must be a whole number"));
    }
    Repost repost = new Repost(values[0], values[1], texts);
    if (errors.stream().noneMatch(e -> e.field().startsWith("repost."))) PostValidator.checkRepost(repost, errors);
    return repost;
  }
}
