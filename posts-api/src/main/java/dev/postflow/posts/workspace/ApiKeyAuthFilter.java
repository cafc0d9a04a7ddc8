package dev.postflow.posts.workspace;

import dev.postflow.posts.problem.ProblemException;
import dev.postflow.posts.problem.ProblemMappers;
import dev.postflow.posts.ratelimit.RateLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every /v1 request carries {@code Authorization: Bearer <admin key | API key>}. */
public class ApiKeyAuthFilter {
  @Inject Caller caller;
  @Inject ApiKeyService apiKeys;
  @Inject RateLimiter rateLimiter;

  @ConfigProperty(name = "postflow.admin-key")
  String adminKey;

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION, nonBlocking = true)
  public Uni<Response> authenticate(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("/v1/")) {
      return Uni.createFrom().nullItem();
    }
    String header = request.getHeaderString("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      return Uni.createFrom().item(unauthorized());
    }
    String key = header.substring(7).trim();
    if (MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), adminKey.getBytes(StandardCharsets.UTF_8))) {
      caller.admin();
      return Uni.createFrom().nullItem();
    }
    return apiKeys.ownerOf(key).map(owner -> {
      if (owner == null) return unauthorized();
      caller.workspace(owner.keyId(), owner.workspaceId(), owner.requiresApproval());
      RateLimiter.Decision decision = rateLimiter.take(ApiKeyService.hash(key));
      caller.rateLimit(decision);
      if (!decision.allowed()) {
        return ProblemMappers.respond(new ProblemException(429, "rate_limited", "Too many requests",
            "this API key may make " + decision.limit() + " requests per minute; retry after " + decision.retryAfterSeconds() + " s"));
      }
      return null;
    });
  }

  private static Response unauthorized() {
    return ProblemMappers.respond(new ProblemException(401, "unauthorized", "Unauthorized",
        "send Authorization: Bearer <API key>; the key is missing, unknown or revoked"));
  }
}
