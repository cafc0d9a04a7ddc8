package dev.postflow.testsupport.platforms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Graph API comments on a published object, as Instagram (a media id, comments read with {@code text}) and Facebook (a
 * Page post, comments read with {@code message}) take them: {@code POST /{object-id}/comments} with {@code message},
 * answered {@code {"id"}}; {@code GET /{object-id}/comments}, newest first, each with {@code from} (who wrote it: the
 * object's owner for a comment made with its token; {@link #addBy} for anyone else). A comment on an object that is not
 * published is refused. Failures for {@link Simulator#failOnText} on the comment's text: "comment_refused" (a 400),
 * "comment_lost" (stored, answered too late), "comment_cut_copied" (not stored, no answer in time, and a follower's
 * comment with the same text appears).
 */
public final class GraphComments {
  /** Each comment: id, object, text, created_time, from. */
  public final List<Map<String, String>> comments = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(18_000_000_000L);

  /** {@code ownerOf}: the published object's owner (a Page, an IG user), null for an object that is not published. */
  GraphComments(Simulator simulator, String objectPattern, Function<String, String> ownerOf, String readField, String token) {
    simulator.route("POST", "/(" + objectPattern + ")/comments", (call, path) -> {
      if (!token.equals(Simulator.bearer(call))) return MetaContainerSimulator.error(400, 190, 463, "Error validating access token");
      String message = Multipart.fields(call).getOrDefault("message", call.query().get("message"));
      String failure = simulator.textFailure(message, kind -> kind.startsWith("comment_"));
      if ("comment_refused".equals(failure)) return MetaContainerSimulator.error(400, 100, 0, "Invalid parameter: message");
      if (message == null || message.isBlank()) return MetaContainerSimulator.error(400, 100, 0, "Invalid parameter: message is required");
      String owner = ownerOf.apply(path.group(1));
      if (owner == null) return MetaContainerSimulator.error(400, 100, 33, "Object with ID '" + path.group(1) + "' does not exist");
      String id = String.valueOf(ids.incrementAndGet());
      if ("comment_cut_copied".equals(failure)) {
        // ours never landed, and a follower wrote the very same text (popular hashtags): only theirs is there
        addBy(path.group(1), "follower-1", message);
        return Simulator.Answer.json(502, Map.of("error", Map.of("message", "lost"))).late(5_000);
      }
      comments.add(Map.of("id", id, "object", path.group(1), "text", message, "created_time", Instant.now().toString(), "from", owner));
      Simulator.Answer answer = Simulator.Answer.json(200, Map.of("id", id));
      return "comment_lost".equals(failure) ? answer.late(5_000) : answer;
    });
    simulator.route("GET", "/(" + objectPattern + ")/comments", (call, path) -> {
      if (!token.equals(Simulator.bearer(call))) return MetaContainerSimulator.error(400, 190, 463, "Error validating access token");
      List<Map<String, Object>> data = new java.util.ArrayList<>();
      for (int i = comments.size() - 1; i >= 0; i--) {
        Map<String, String> comment = comments.get(i);
        if (comment.get("object").equals(path.group(1))) {
          data.add(Map.of("id", comment.get("id"), readField, comment.get("text"), "timestamp", comment.get("created_time"),
              "from", Map.of("id", comment.get("from"))));
        }
      }
      return Simulator.Answer.json(200, Map.of("data", data));
    });
  }

  /** A comment someone else wrote (a follower), as the platform would show it. */
  public void addBy(String objectId, String from, String text) {
    comments.add(Map.of("id", String.valueOf(ids.incrementAndGet()), "object", objectId, "text", text, "created_time", Instant.now().toString(),
        "from", from));
  }

  void clear() {
    comments.clear();
  }
}
