package dev.postflow.posts.ratelimit;

import dev.postflow.posts.workspace.Caller;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** RateLimit-Limit, -Remaining and -Reset on every answer to a workspace key (IETF RateLimit header fields). */
public class RateLimitHeaders {
  @Inject Caller caller;

  @ServerResponseFilter
  public void addHeaders(ContainerResponseContext response) {
    RateLimiter.Decision decision = caller.rateLimit();
    if (decision == null) return;
    response.getHeaders().putSingle("RateLimit-Limit", decision.limit());
    response.getHeaders().putSingle("RateLimit-Remaining", decision.remaining());
    response.getHeaders().putSingle("RateLimit-Reset", decision.resetSeconds());
    if (!decision.allowed()) response.getHeaders().putSingle("Retry-After", decision.retryAfterSeconds());
  }
}
