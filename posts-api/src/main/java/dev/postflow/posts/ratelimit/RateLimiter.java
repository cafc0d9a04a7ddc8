package dev.postflow.posts.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Requests per API key: a token bucket of {@code postflow.rate-limit.per-minute} tokens, refilled evenly over a
 * minute. Kept in each posts-api replica's memory: with N replicas behind a load balancer a key gets up to N times
 * the limit (documented in the README).
 */
@ApplicationScoped
public class RateLimiter {
  /** The outcome of one request: allowed or not, what is left, and seconds until a token (retryAfter) or a full bucket. */
  public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}

  @ConfigProperty(name = "postflow.rate-limit.per-minute")
  int perMinute;

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public Decision take(String keyId) {
    if (buckets.size() > 100_000) buckets.clear(); // bounded memory; a cleared bucket starts full
    return buckets.computeIfAbsent(keyId, id -> new Bucket(perMinute)).take(perMinute, System.nanoTime());
  }

  private static final class Bucket {
    private double tokens;
    private long updatedNanos;

    Bucket(int capacity) {
      this.tokens = capacity;
      this.updatedNanos = System.nanoTime();
    }

    synchronized Decision take(int capacity, long now) {
      double perNano = capacity / 60e9;
      tokens = Math.min(capacity, tokens + (now - updatedNanos) * perNano);
      updatedNanos = now;
      boolean allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      long reset = (long) Math.ceil((capacity - tokens) / perNano / 1e9);
      long retryAfter = allowed ? 0 : (long) Math.ceil((1 - tokens) / perNano / 1e9);
      return new Decision(allowed, capacity, (int) Math.floor(tokens), reset, Math.max(1, retryAfter));
    }
  }
}
