package dev.postflow.posts.post;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import dev.postflow.posts.ListPage;
import dev.postflow.posts.idempotency.Idempotency;
import dev.postflow.posts.messaging.OutboxRelay;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.workspace.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

@Path("/v1/posts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PostResource {
  @Inject Caller caller;
  @Inject PostService posts;
  @Inject PostLifecycle lifecycle;
  @Inject OutboxRelay relay;
  @Inject Idempotency idempotency;
  @Inject com.fasterxml.jackson.databind.ObjectMapper json;

  @ConfigProperty(name = "postflow.schedule-horizon")
  Duration horizon;

  @Operation(summary = "Create a post: a draft, scheduled (scheduled_at or scheduled_local + time_zone) or published now")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"text": "Launching next week 🚀 #launch", "account_ids": ["acc_01J8Z3..."],
       "targets": [{"account_id": "acc_01J8Z4...", "media_ids": ["med_01J8Z5..."],
                    "platform_options": {"youtube": {"title": "Launch video", "privacy": "public"}}}],
       "scheduled_at": "2026-12-24T09:00:00Z", "external_id": "cms-4711", "metadata": {"campaign": "winter"}}""")))
  @POST
  public Uni<Response> create(PostRequest body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    return posts.createOnce(caller.workspaceId(), idempotencyKey, body).invoke(relay::wake);
  }

  /** At most this many posts in one bulk create. */
  static final int MAX_BULK = 100;

  /**
   * One post of a bulk create: {@code status} as its own POST /v1/posts would have answered (201, or the 4xx with its
   * {@code problem}); {@code post} the stored post (also for a replayed {@code idempotency_key}, {@code replayed} true).
   */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record BulkResult(int index, int status, Object post, dev.postflow.posts.problem.Problem problem, Boolean replayed) {}

  public record BulkAnswer(List<BulkResult> data, int created, int failed) {}

  @Operation(summary = "Create up to 100 posts in one request, each on its own: one bad post fails alone, with its problem")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"posts": [{"text": "Monday's post", "account_ids": ["acc_01J8Z3..."], "scheduled_at": "2026-12-21T09:00:00Z",
                  "external_id": "cms-1", "idempotency_key": "calendar-2026-12-21"},
                 {"text": "Tuesday's post", "account_ids": ["acc_01J8Z3..."], "scheduled_at": "2026-12-22T09:00:00Z",
                  "external_id": "cms-2", "idempotency_key": "calendar-2026-12-22"}]}""")))
  @POST
  @Path("/bulk")
  public Uni<BulkAnswer> bulk(JsonNode body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    if (idempotencyKey != null) {
      throw ProblemException.validation(List.of(FieldError.of("Idempotency-Key", "per_post_key",
          "a bulk create takes an idempotency_key per post, so that each post is created once whatever happens to the others")));
    }
    JsonNode items = body == null ? null : body.get("posts");
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_BULK) {
      throw ProblemException.validation(List.of(FieldError.of("posts", "invalid_value", "posts must be a list of 1 to " + MAX_BULK + " posts")));
    }
    java.util.Iterator<String> fields = body.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!field.equals("posts")) throw ProblemException.validation(List.of(FieldError.of(field, "unknown_field", "'" + field + "' is not a field of this request")));
    }
    String workspaceId = caller.workspaceId();
    // One after the other: each post has its own checks and transaction (a Hibernate session is not shared by concurrent work)
    Uni<List<BulkResult>> results = Uni.createFrom().item(new java.util.ArrayList<>());
    for (int i = 0; i < items.size(); i++) {
      int index = i;
      JsonNode item = items.get(i);
      results = results.chain(done -> bulkItem(workspaceId, index, item).map(result -> {
        done.add(result);
        return done;
      }));
    }
    return results.invoke(relay::wake).map(done -> {
      int created = (int) done.stream().filter(r -> r.status() == 201).count();
      return new BulkAnswer(done, created, done.size() - created);
    });
  }

  /** One post of a bulk create, answered as POST /v1/posts would answer it alone (with an Idempotency-Key when it has one). */
  private Uni<BulkResult> bulkItem(String workspaceId, int index, JsonNode item) {
    return Uni.createFrom().deferred(() -> {
      if (!item.isObject()) throw new ProblemException(400, "malformed_json", "Malformed JSON", "each post must be a JSON object");
      com.fasterxml.jackson.databind.node.ObjectNode fields = item.deepCopy();
      JsonNode key = fields.remove("idempotency_key");
      if (key != null && !key.isTextual()) {
        throw ProblemException.validation(List.of(FieldError.of("idempotency_key", "invalid_type", "'idempotency_key' must be a string")));
      }
      PostRequest request;
      try {
        request = json.treeToValue(fields, PostRequest.class);
      } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
        return Uni.createFrom().failure(unreadable);
      }
      return posts.createOnce(workspaceId, key == null ? null : key.asText(), request);
    }).map(response -> {
      boolean replayed = response.getHeaderString(Idempotency.REPLAYED) != null;
      Object post = response.getEntity() instanceof String stored ? readTree(stored) : response.getEntity();
      return new BulkResult(index, response.getStatus(), post, null, replayed ? true : null);
    }).onFailure().recoverWithItem(failure -> {
      Response problem = dev.postflow.posts.problem.ProblemMappers.toResponse(failure);
      return new BulkResult(index, problem.getStatus(), null, (dev.postflow.posts.problem.Problem) problem.getEntity(), null);
    });
  }

  private JsonNode readTree(String stored) {
    try {
      return json.readTree(stored);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a stored answer is not JSON", e);
    }
  }


  /** Runs every check of a create without storing anything. */
  @POST
  @Path("/validate")
  public Uni<PostService.Validation> validate(PostRequest body) {
    return posts.validate(caller.workspaceId(), body);
  }

  @GET
  public Uni<ListPage<PostView>> list(@QueryParam("status") String status, @QueryParam("account_id") String accountId,
      @QueryParam("platform") String platform, @QueryParam("external_id") String externalId, @QueryParam("queue_id") String queueId,
      @QueryParam("repost_of") String repostOf, @QueryParam("scheduled_from") String scheduledFrom, @QueryParam("scheduled_to") String scheduledTo,
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    return posts.list(caller.workspaceId(), PostService.ListQuery.parse(status, accountId, platform, externalId, queueId, repostOf, scheduledFrom, scheduledTo,
        cursor, limit));
  }

  @GET
  @Path("/{id}")
  public Uni<Response> get(@PathParam("id") String id) {
    return posts.get(caller.workspaceId(), id).map(post -> Response.ok(post).tag(String.valueOf(post.version())).build());
  }

  /** Edits a draft or scheduled post (merge semantics); a new scheduled_at takes effect exactly. */
  @PATCH
  @Path("/{id}")
  public Uni<Response> update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, JsonNode body) {
    PostPatch patch = PostPatch.check(body, Instant.now(), horizon);
    return lifecycle.update(caller.workspaceId(), id, patch, version(ifMatch), caller.requiresApproval()).invoke(relay::wake)
        .map(post -> Response.ok(post).tag(String.valueOf(post.version())).build());
  }

  /** Cancels a draft or scheduled post. */
  @DELETE
  @Path("/{id}")
  public Uni<Response> cancel(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
    return lifecycle.cancel(caller.workspaceId(), id, version(ifMatch)).invoke(relay::wake)
        .map(post -> Response.ok(post).tag(String.valueOf(post.version())).build());
  }

  /**
   * Publishes a draft or scheduled post now. With {@code Prefer: wait=N} (up to 60 s) it answers 200 with the final
   * state if the post finishes in time, else 202 with the state it has then.
   */
  @POST
  @Path("/{id}/publish")
  public Uni<Response> publish(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey, @HeaderParam("Prefer") String prefer,
      @QueryParam("allow_duplicate") String allowDuplicateParam) {
    String workspaceId = caller.workspaceId();
    caller.requireFullKey("publish posts now");
    Long expected = version(ifMatch);
    Duration wait = preferredWait(prefer);
    boolean allowDuplicate = booleanParam("allow_duplicate", allowDuplicateParam);
    java.util.Map<String, Object> asked = allowDuplicate ? java.util.Map.of("allow_duplicate", true) : java.util.Map.of();
    Uni<Response> started = idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts/" + id + "/publish", asked, () ->
            lifecycle.publishNow(workspaceId, id, expected, allowDuplicate).map(post -> Response.accepted(post).tag(String.valueOf(post.version())).build()))
        .invoke(relay::wake);
    return waited(started, workspaceId, id, wait);
  }

  /**
   * Prefer: wait: after the request was accepted, the post as it is once it finished (200) or when the wait is over
   * (202 with its state then).
   */
  private Uni<Response> waited(Uni<Response> accepted, String workspaceId, String id, Duration wait) {
    if (wait.isZero()) return accepted;
    Instant deadline = Instant.now().plus(wait);
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    return accepted.chain(ignored -> awaitFinished(workspaceId, id, deadline, context)
        .map(post -> Response.status(PostStatus.FINISHED.contains(post.status()) ? 200 : 202).entity(post)
            .tag(String.valueOf(post.version())).header("Preference-Applied", "wait=" + wait.toSeconds()).build()));
  }

  private Uni<PostView> awaitFinished(String workspaceId, String id, Instant deadline, io.vertx.core.Context context) {
    return posts.get(workspaceId, id).chain(post -> {
      if (PostStatus.FINISHED.contains(post.status()) || Instant.now().isAfter(deadline)) return Uni.createFrom().item(post);
      return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100))
          .emitOn(task -> context.runOnContext(ignored -> task.run())) // back on the request's context for Hibernate Reactive
          .chain(() -> awaitFinished(workspaceId, id, deadline, context));
    });
  }

  /** Prefer: wait=N, N seconds from 0 to 60 (larger values are capped). */
  private static Duration preferredWait(String prefer) {
    if (prefer == null) return Duration.ZERO;
    java.util.regex.Matcher wait = java.util.regex.Pattern.compile("(?i)(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,6})").matcher(prefer);
    return wait.find() ? Duration.ofSeconds(Math.min(60, Long.parseLong(wait.group(1)))) : Duration.ZERO;
  }

  /**
   * Approves a post pending approval: scheduled at its time, or published now when it has none (202 then; 200 when
   * scheduled). 409 scheduled_at_passed when its time passed while it waited.
   */
  @POST
  @Path("/{id}/approve")
  public Uni<Response> approve(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    caller.requireFullKey("approve posts");
    Long expected = version(ifMatch);
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts/" + id + "/approve", java.util.Map.of(), () ->
            lifecycle.approve(workspaceId, id, expected, caller.keyId()).map(post -> Response.status(PostStatus.PUBLISHING.equals(post.status()) ? 202 : 200)
                .entity(post).tag(String.valueOf(post.version())).build()))
        .invoke(relay::wake);
  }

  public record RejectRequest(String reason) {}

  /** Rejects a post pending approval, with the reviewer's reason (at most 1,000 characters); an edit submits it again. */
  @POST
  @Path("/{id}/reject")
  public Uni<Response> reject(@PathParam("id") String id, RejectRequest body, @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    caller.requireFullKey("reject posts");
    Long expected = version(ifMatch);
    String reason = body == null || body.reason() == null || body.reason().isBlank() ? null : body.reason().trim();
    if (reason != null && reason.length() > 1000) {
      throw ProblemException.validation(List.of(new FieldError("reason", "too_long", "reason may be at most 1000 characters", 1000L,
          (long) reason.length())));
    }
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts/" + id + "/reject", body == null ? java.util.Map.of() : body, () ->
            lifecycle.reject(workspaceId, id, reason, expected, caller.keyId()).map(post -> Response.ok(post).tag(String.valueOf(post.version())).build()))
        .invoke(relay::wake);
  }

  public record RetryRequest(Boolean includeUnconfirmed) {}

  /** Publishes the failed targets of a failed or partial post again. */
  @POST
  @Path("/{id}/retry")
  public Uni<Response> retry(@PathParam("id") String id, RetryRequest body, @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    Long expected = version(ifMatch);
    boolean includeUnconfirmed = body != null && Boolean.TRUE.equals(body.includeUnconfirmed());
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts/" + id + "/retry", body == null ? java.util.Map.of() : body, () ->
            lifecycle.retry(workspaceId, id, includeUnconfirmed, expected).map(post -> Response.accepted(post).tag(String.valueOf(post.version())).build()))
        .invoke(relay::wake);
  }

  public record UnpublishRequest(List<String> targetIds) {}

  /**
   * Takes the post down from the platforms it is on (all targets that are out, or those in {@code target_ids}):
   * 202, each chosen target unpublishing until its platform answered (post.target.unpublished or
   * post.target.unpublish_failed). {@code Prefer: wait=N} as for publish.
   */
  @POST
  @Path("/{id}/unpublish")
  public Uni<Response> unpublish(@PathParam("id") String id, UnpublishRequest body, @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey, @HeaderParam("Prefer") String prefer) {
    String workspaceId = caller.workspaceId();
    Long expected = version(ifMatch);
    List<String> targetIds = body == null ? null : body.targetIds();
    if (targetIds != null && targetIds.isEmpty()) {
      throw ProblemException.validation(List.of(FieldError.of("target_ids", "invalid_value",
          "target_ids names the targets to unpublish; leave it out to unpublish every target that is out")));
    }
    Duration wait = preferredWait(prefer);
    Uni<Response> started = idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts/" + id + "/unpublish", body == null ? java.util.Map.of() : body,
            () -> lifecycle.unpublish(workspaceId, id, targetIds, expected).map(post -> Response.accepted(post).tag(String.valueOf(post.version())).build()))
        .invoke(relay::wake);
    return waited(started, workspaceId, id, wait);
  }

  public record EditRequest(String text, List<String> targetIds) {}

  /**
   * Changes the text of a published post on its platforms (every published target on a platform that can edit, or
   * those in {@code target_ids}): 202, each chosen target editing until its platform answered (post.target.edited or
   * post.target.edit_failed, then post.edited). {@code Prefer: wait=N} as for publish.
   */
  @POST
  @Path("/{id}/edit")
  public Uni<Response> edit(@PathParam("id") String id, EditRequest body, @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey, @HeaderParam("Prefer") String prefer) {
    caller.requireFullKey("edit published posts");
    String workspaceId = caller.workspaceId();
    Long expected = version(ifMatch);
    List<FieldError> errors = new java.util.ArrayList<>();
    if (body == null || body.text() == null || body.text().isBlank()) {
      errors.add(FieldError.of("text", "required", "text: the post's new text on its platforms"));
    }
    if (body != null && body.targetIds() != null && body.targetIds().isEmpty()) {
      errors.add(FieldError.of("target_ids", "invalid_value",
          "target_ids names the targets to edit; leave it out to edit every published target on a platform that can edit"));
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    Duration wait = preferredWait(prefer);
    Uni<Response> started = idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts/" + id + "/edit", body,
            () -> lifecycle.edit(workspaceId, id, body.text(), body.targetIds(), expected)
                .map(post -> Response.accepted(post).tag(String.valueOf(post.version())).build()))
        .invoke(relay::wake);
    return waited(started, workspaceId, id, wait);
  }

  /** A query parameter that is true or false (absent: false); anything else is a 400 naming it. */
  private static boolean booleanParam(String name, String value) {
    if (value == null || value.equals("false")) return false;
    if (value.equals("true")) return true;
    throw ProblemException.invalidField(name, "invalid_value", name + " must be true or false");
  }

  /** The version in an If-Match header ("3", W/"3" or 3); null when there is none. */
  private static Long version(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) return null;
    String digits = ifMatch.replaceAll("[^0-9]", "");
    if (digits.isEmpty() || digits.length() > 18) {
      throw new ProblemException(412, "version_conflict", "Version conflict", "If-Match must be the post's ETag");
    }
    return Long.parseLong(digits);
  }

  /** One provider call, as GET /v1/posts/{id}/attempts shows it. */
  @GET
  @Path("/{id}/attempts")
  public Uni<ListPage<PostService.AttemptView>> attempts(@PathParam("id") String id) {
    return posts.attemptLog(caller.workspaceId(), id).map(ListPage::of);
  }
}
