package dev.postflow.posts.sandbox;

import dev.postflow.posts.ListPage;
import dev.postflow.posts.post.PostJson;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** GET /v1/sandbox/posts: everything the sandbox platform received, so anyone can count real publishes. */
@Path("/v1/sandbox/posts")
@Produces(MediaType.APPLICATION_JSON)
public class SandboxPostsResource {
  @Inject Caller caller;
  @Inject SandboxStore store;
  @Inject PostJson postJson;

  public record SandboxPostView(String id, String accountId, String targetId, String text, List<String> mediaIds, Instant receivedAt,
      int repeats, Instant deletedAt, int edits, Instant editedAt) {}

  @GET
  public Uni<ListPage<SandboxPostView>> list(@QueryParam("target_id") String targetId, @QueryParam("account_id") String accountId,
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    int size = 100;
    if (limit != null) {
      try {
        size = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 1 || size > 1000) {
        throw ProblemException.validation(List.of(FieldError.of("limit", "out_of_range", "limit must be a whole number from 1 to 1000")));
      }
    }
    int pageSize = size;
    String workspaceId = caller.isAdmin() ? null : caller.workspaceId();
    return store.list(workspaceId, targetId, accountId, cursor, pageSize).map(posts -> {
      List<SandboxPost> page = posts.size() > pageSize ? posts.subList(0, pageSize) : posts;
      return new ListPage<>(page.stream().map(p -> new SandboxPostView(p.id, p.accountId, p.targetId, p.text, postJson.list(p.mediaIds), p.receivedAt, p.repeats, p.deletedAt,
              p.edits, p.editedAt)).toList(),
          posts.size() > pageSize ? page.get(page.size() - 1).id : null);
    });
  }
}
