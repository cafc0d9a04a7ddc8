package dev.postflow.posts.media;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import dev.postflow.posts.ListPage;
import dev.postflow.posts.idempotency.Idempotency;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Media (contract section 3): upload the bytes (multipart {@code file}, or a raw body with its Content-Type) or import
 * from a URL; type, dimensions and duration are read from the file itself.
 */
@Path("/v1/media")
@Produces(MediaType.APPLICATION_JSON)
public class MediaResource {
  @Inject Caller caller;
  @Inject MediaService media;
  @Inject Idempotency idempotency;

  public record ImportMedia(String url, String altText) {}

  @Operation(summary = "Import media from a URL (or send the bytes: multipart part file, or the raw body with its Content-Type)")
  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "example", value = """
      {"url": "https://cdn.example/launch.jpg", "alt_text": "Our new logo on a blue background"}""")))
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  public Response importFromUrl(ImportMedia body, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    if (body == null || body.url() == null || body.url().isBlank()) {
      throw ProblemException.validation(List.of(FieldError.of("url", "required",
          "give the media's URL, or send the bytes as multipart 'file' or as the raw body")));
    }
    return media.save(workspaceId, idempotencyKey, media.importFrom(body.url(), body.altText()));
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Blocking
  public Response uploadForm(@RestForm("file") FileUpload file, @RestForm("alt_text") String altText,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    if (file == null) {
      throw ProblemException.validation(List.of(FieldError.of("file", "required", "the multipart form needs a 'file' part")));
    }
    return media.save(workspaceId, idempotencyKey, media.receive(file.uploadedFile(), altText));
  }

  /** Any other Content-Type: the body is the file. */
  @POST
  @Consumes(MediaType.WILDCARD)
  @Blocking
  public Response uploadRaw(InputStream body, @QueryParam("alt_text") String altText,
      @HeaderParam("Content-Length") Long contentLength, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
    String workspaceId = caller.workspaceId();
    if (contentLength != null && contentLength > media.maxBytes()) {
      throw new ProblemException(413, "payload_too_large", "Payload too large", "media files may be at most " + media.maxBytes() + " bytes");
    }
    return media.save(workspaceId, idempotencyKey, media.receive(body, altText));
  }

  @GET
  public Uni<ListPage<MediaView>> list() {
    return media.list(caller.workspaceId()).map(ListPage::of);
  }

  @GET
  @Path("/{id}")
  public Uni<MediaView> get(@PathParam("id") String id) {
    return media.get(caller.workspaceId(), id);
  }

  /** 409 media_in_use while a draft, scheduled or publishing post uses it. */
  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") String id) {
    return media.delete(caller.workspaceId(), id).replaceWith(Response.noContent().build());
  }
}
