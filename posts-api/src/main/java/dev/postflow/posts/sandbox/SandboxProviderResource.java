package dev.postflow.posts.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.postflow.contract.Ids;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sandbox platform's own API: what publisher-service calls over HTTP, as it would call a real provider.
 * Not under /v1: it authenticates with the account's (sandbox) access token, like a platform would.
 *
 * <pre>
 * POST /sandbox/api/v1/posts   Authorization: Bearer &lt;access token&gt;   [Idempotency-Key: &lt;key&gt;]
 *   {"account_id", "client_ref", "text", "media_ids", "behaviour": {"outcome", "latency_ms"}}
 *   201 {"id", "permalink", "created_at"}  |  4xx/5xx {"error": {"code", "message"}}
 *   200 + Idempotent-Replayed: true, the first post, when the account used the key before (no second post)
 * GET  /sandbox/api/v1/posts?client_ref=...   lookup, so an ambiguous outcome can be reconciled
 * DELETE /sandbox/api/v1/posts/{id}[?outcome=...]   Authorization: Bearer &lt;access token&gt;
 *   204 taken down  |  404 no such post (or taken down before)  |  4xx/5xx {"error": {"code", "message"}}
 *   outcome (the target's platform_options.sandbox.unpublish_outcome): removed (default), failed:&lt;code&gt;,
 *   server_error_then_removed
 * PUT /sandbox/api/v1/posts/{id}[?outcome=...]   Authorization: Bearer &lt;access token&gt;   {"text"}
 *   200 {"id", "text", "edited_at"}  |  404 no such post (or taken down)  |  4xx/5xx {"error": {"code", "message"}}
 *   outcome (the target's platform_options.sandbox.edit_outcome): edited (default), failed:&lt;code&gt;,
 *   server_error_then_edited
 * </pre>
 */
@Path("/sandbox/api/v1/posts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SandboxProviderResource {
  @ConfigProperty(name = "postflow.public-base-url")
  String publicBaseUrl;

  @Inject SandboxStore store;

  /** How long timeout_after_publish holds its answer: longer than any publisher waits. */
  @ConfigProperty(name = "postflow.sandbox.lost-answer-delay-ms", defaultValue = "30000")
  long lostAnswerDelayMs;

  /** The target's sandbox options; {@code unpublish_outcome} is read at its DELETE (the publisher sends it as ?outcome=). */
  public record Behaviour(String outcome, @JsonProperty("latency_ms") Integer latencyMs, @JsonProperty("unpublish_outcome") String unpublishOutcome,
      @JsonProperty("edit_outcome") String editOutcome) {}

  public record EditPost(String text) {}

  public record CreatePost(String accountId, String clientRef, String text, List<String> mediaIds, Behaviour behaviour) {}

  @POST
  public Uni<Response> create(@HeaderParam("Authorization") String authorization, @HeaderParam("Idempotency-Key") String idempotencyKey,
      CreatePost body) {
    if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
      return Uni.createFrom().item(error(401, "invalid_token", "a Bearer access token is required"));
    }
    if (body == null || body.accountId() == null) {
      return Uni.createFrom().item(error(400, "invalid_request", "account_id is required"));
    }
    String outcome = body.behaviour() == null || body.behaviour().outcome() == null ? "published" : body.behaviour().outcome();
    int latency = body.behaviour() == null || body.behaviour().latencyMs() == null ? 0 : body.behaviour().latencyMs();
    // Only the "first call fails, the next succeeds" behaviours need to know which call this is.
    boolean counted = outcome.endsWith("_then_published");
    Uni<Integer> callNumber = counted ? store.countCall(body.clientRef()) : Uni.createFrom().item(0);
    return callNumber.chain(call -> delay(latency).chain(() -> {
      if (outcome.startsWith("failed:")) {
        String code = outcome.substring("failed:".length());
        int status = code.startsWith("token") || code.equals("invalid_token") ? 401 : 422;
        return Uni.createFrom().item(error(status, code, "the sandbox was asked to fail with " + code));
      }
      if (outcome.equals("rate_limited_then_published") && call == 1) {
        return Uni.createFrom().item(Response.status(429).type(MediaType.APPLICATION_JSON)
            .header("Retry-After", "1")
            .header("X-RateLimit-Reset", String.valueOf(java.time.Instant.now().plusSeconds(1).getEpochSecond()))
            .entity(Map.of("error", Map.of("code", "rate_limited", "message", "too many posts; try again after the reset"))).build());
      }
      if (outcome.equals("server_error_then_published") && call == 1) {
        return Uni.createFrom().item(error(503, "server_error", "the sandbox is having a bad moment"));
      }
      String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey;
      Uni<SandboxStore.Saved> saved = store.save(body, key);
      if (outcome.equals("timeout_after_publish")) {
        // The post exists now; the answer arrives only after the caller has given up. GET ?client_ref= finds it.
        saved = saved.call(stored -> stored.repeated() ? Uni.createFrom().voidItem() : delay(lostAnswerDelayMs));
      }
      return saved.map(stored -> {
        Response.ResponseBuilder answer = stored.repeated() ? Response.ok().header("Idempotent-Replayed", "true") : Response.status(201);
        return answer.entity(Map.of(
            "id", stored.id(),
            "permalink", publicBaseUrl + "/sandbox/api/v1/posts/" + stored.id(),
            "created_at", stored.receivedAt().toString())).build();
      });
    }));
  }

  @jakarta.ws.rs.DELETE
  @Path("/{id}")
  public Uni<Response> delete(@HeaderParam("Authorization") String authorization, @jakarta.ws.rs.PathParam("id") String id,
      @QueryParam("outcome") String outcome) {
    return changed(authorization, id, outcome, "removed", "delete", () -> store.delete(id)
        .map(deleted -> deleted ? Response.noContent().build() : error(404, "not_found", "no sandbox post " + id)));
  }

  @jakarta.ws.rs.PUT
  @Path("/{id}")
  public Uni<Response> edit(@HeaderParam("Authorization") String authorization, @jakarta.ws.rs.PathParam("id") String id,
      @QueryParam("outcome") String outcome, EditPost body) {
    if (body == null || body.text() == null) return Uni.createFrom().item(error(400, "invalid_request", "text is required"));
    return changed(authorization, id, outcome, "edited", "edit", () -> store.edit(id, body.text())
        .map(at -> at == null ? error(404, "not_found", "no sandbox post " + id)
            : Response.ok(Map.of("id", id, "text", body.text(), "edited_at", at.toInstant().toString())).build()));
  }

  /**
   * A change of a post (DELETE, PUT) as the target's options asked for it: {@code failed:<code>} is refused with that
   * code, {@code server_error_then_<done>} answers 503 to its first call, anything else makes the change.
   */
  private Uni<Response> changed(String authorization, String id, String outcome, String done, String what,
      java.util.function.Supplier<Uni<Response>> change) {
    if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
      return Uni.createFrom().item(error(401, "invalid_token", "a Bearer access token is required"));
    }
    String behaviour = outcome == null || outcome.isBlank() ? done : outcome;
    if (behaviour.startsWith("failed:")) {
      String code = behaviour.substring("failed:".length());
      int status = code.startsWith("token") || code.equals("invalid_token") ? 401 : code.equals("not_permitted") ? 403 : 422;
      return Uni.createFrom().item(error(status, code, "the sandbox was asked to fail the " + what + " with " + code));
    }
    Uni<Integer> callNumber = behaviour.equals("server_error_then_" + done) ? store.countCall(what + ":" + id) : Uni.createFrom().item(0);
    return callNumber.chain(call -> call == 1 ? Uni.createFrom().item(error(503, "server_error", "the sandbox is having a bad moment"))
        : change.get());
  }

  private static Uni<Void> delay(long millis) {
    return millis > 0 ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis)) : Uni.createFrom().voidItem();
  }

  @GET
  public Uni<Map<String, Object>> lookup(@QueryParam("client_ref") String clientRef) {
    return store.byClientRef(clientRef).map(list -> Map.of("data", list.stream().map(post -> Map.of(
        "id", post.id, "permalink", publicBaseUrl + "/sandbox/api/v1/posts/" + post.id, "created_at", post.receivedAt.toString())).toList()));
  }

  /** The permalink a sandbox post is given, like a platform's public post page. */
  @GET
  @Path("/{id}")
  public Uni<Response> permalink(@jakarta.ws.rs.PathParam("id") String id) {
    return store.byId(id).map(post -> post == null ? error(404, "not_found", "no sandbox post " + id)
        : Response.ok(Map.of("id", post.id, "text", post.text == null ? "" : post.text, "created_at", post.receivedAt.toString())).build());
  }

  private static Response error(int status, String code, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", Map.of("code", code, "message", message))).build();
  }
}
