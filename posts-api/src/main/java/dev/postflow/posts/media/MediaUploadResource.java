package dev.postflow.posts.media;

import dev.postflow.posts.idempotency.Idempotency;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * Direct uploads of large files: declare the file, PUT its bytes to the answered {@code upload_url} (straight into the
 * bucket with S3 storage, so they never pass through posts-api), then complete the upload to get the media.
 */
@Path("/v1/media/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class MediaUploadResource {
  @Inject Caller caller;
  @Inject MediaUploads uploads;

  @Operation(summary = "Start a direct upload: PUT the file to upload_url with upload_headers before expires_at, then complete it")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"content_type": "video/mp4", "size_bytes": 73400320, "alt_text": "Our launch video"}""")))
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(MediaUploads.UploadRequest body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    return uploads.create(caller.workspaceId(), idempotencyKey, body);
  }

  @GET
  @Path("/{id}")
  public Uni<MediaUploads.UploadView> get(@PathParam("id") String id) {
    return uploads.get(caller.workspaceId(), id);
  }

  @Operation(summary = "Complete a direct upload: the bytes are checked against the declared type and size and become a media file")
  @POST
  @Path("/{id}/complete")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  public Response complete(@PathParam("id") String id) {
    return uploads.complete(caller.workspaceId(), id);
  }
}
