package dev.postflow.posts.queue;

import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Posting queues: a post created with {@code queue_id} takes the queue's next free slot. */
@Path("/v1/queues")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueueResource {
  @Inject Caller caller;
  @Inject QueueService queues;

  @Operation(summary = "Create a posting queue: weekly times in a time zone, and how many posts each slot takes")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"name": "Weekdays", "time_zone": "Europe/Berlin", "capacity": 1,
       "slots": [{"days": ["mon", "tue", "wed", "thu", "fri"], "times": ["09:00", "13:30"]}, {"days": ["sat"], "times": ["11:00"]}]}""")))
  @POST
  public Uni<Response> create(QueueRequest request) {
    return queues.create(caller.workspaceId(), request).map(queue -> Response.status(201).entity(queue).build());
  }

  @GET
  public Uni<Map<String, List<QueueView>>> list() {
    return queues.list(caller.workspaceId()).map(all -> Map.of("data", all));
  }

  @GET
  @Path("/{id}")
  public Uni<QueueView> get(@PathParam("id") String id) {
    return queues.get(caller.workspaceId(), id);
  }

  @PATCH
  @Path("/{id}")
  public Uni<QueueView> update(@PathParam("id") String id, QueueRequest request) {
    return queues.update(caller.workspaceId(), id, request);
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") String id) {
    return queues.delete(caller.workspaceId(), id).map(ignored -> Response.noContent().build());
  }

  /** The next slots (default 10, at most 100) with the posts each holds: where the next queued posts will go. */
  @GET
  @Path("/{id}/slots")
  public Uni<Map<String, List<QueueView.Slot>>> slots(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("10") int limit) {
    if (limit < 1 || limit > 100) throw ProblemException.validation(List.of(FieldError.of("limit", "invalid_value", "limit is 1 to 100")));
    return queues.slots(caller.workspaceId(), id, limit).map(slots -> Map.of("data", slots));
  }
}
