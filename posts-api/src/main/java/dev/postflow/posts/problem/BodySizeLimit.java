package dev.postflow.posts.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The HTTP layer accepts bodies as large as a media upload; every other request body (JSON) is refused beyond
 * {@code postflow.max-json-bytes} with a 413 problem.
 */
public class BodySizeLimit {
  @ConfigProperty(name = "postflow.max-json-bytes", defaultValue = "1048576")
  long maxJsonBytes;

  @ServerRequestFilter(preMatching = true, nonBlocking = true)
  public Response limit(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/v1/media") || path.startsWith("/media/uploads/")) return null;
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (length == null) return null;
    try {
      if (Long.parseLong(length.trim()) <= maxJsonBytes) return null;
    } catch (NumberFormatException e) {
      return null;
    }
    return ProblemMappers.respond(new ProblemException(413, "payload_too_large", "Payload too large",
        "request bodies may be at most " + maxJsonBytes + " bytes (media goes to POST /v1/media)"));
  }
}
