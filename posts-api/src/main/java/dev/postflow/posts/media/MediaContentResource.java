package dev.postflow.posts.media;

import dev.postflow.posts.problem.ProblemException;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * A media file's bytes for whoever holds a signed, unexpired URL (platforms pulling media; our publishers), and a direct
 * upload's bytes from whoever holds its upload URL (local storage). No API key.
 */
@Path("/media")
public class MediaContentResource {
  @Inject MediaUrls urls;
  @Inject MediaService media;
  @Inject MediaUploads uploads;

  @GET
  @Path("/{id}")
  @Blocking
  public Response content(@PathParam("id") String id, @QueryParam("expires") Long expires, @QueryParam("signature") String signature)
      throws Throwable {
    if (expires == null || !urls.verify(id, expires, signature)) {
      throw new ProblemException(403, "invalid_signature", "Invalid or expired link", "this media link is not valid (or has expired)");
    }
    Media found = VertxContextSupport.subscribeAndAwait(() -> media.findForDownload(id));
    if (found == null) throw ProblemException.notFound("media " + id);
    try {
      InputStream bytes = media.open(found);
      return Response.ok(bytes, found.mimeType).header("Content-Length", found.sizeBytes)
          .header("Cache-Control", "private, max-age=300").build();
    } catch (IOException e) {
      throw ProblemException.notFound("media " + id);
    }
  }

  /** 200 once the bytes are stored, as a bucket answers a presigned PUT; the upload is then completed with the API key. */
  @PUT
  @Path("/uploads/{id}")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  public Response upload(@PathParam("id") String id, @QueryParam("expires") Long expires, @QueryParam("signature") String signature,
      @HeaderParam("Content-Type") String contentType, InputStream body) {
    uploads.receive(id, expires, signature, contentType, body);
    return Response.ok().build();
  }
}
