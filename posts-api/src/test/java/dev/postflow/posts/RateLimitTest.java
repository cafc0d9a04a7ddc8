package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests per API key are limited (5 per minute here): 429 with Retry-After, RateLimit-* headers on every answer. */
@QuarkusTest
@TestProfile(RateLimitTest.FivePerMinute.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class RateLimitTest {
  public static class FivePerMinute implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("postflow.rate-limit.per-minute", "5");
    }
  }

  @Test
  void aKeyOverItsLimitGets429WithRetryAfterWhileOtherKeysGoOn() {
    String key = Api.newWorkspace(); // the admin key is not limited
    String other = Api.newWorkspace();
    for (int i = 0; i < 5; i++) {
      Response ok = as(key).get("/v1/posts");
      assertEquals(200, ok.statusCode());
      assertEquals("5", ok.header("RateLimit-Limit"));
      assertEquals(String.valueOf(4 - i), ok.header("RateLimit-Remaining"));
    }
    Response limited = as(key).get("/v1/posts");
    limited.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("rate_limited"));
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 12, "Retry-After " + retryAfter + " s (one token every 12 s)");
    assertEquals("0", limited.header("RateLimit-Remaining"));
    as(other).get("/v1/posts").then().statusCode(200).header("RateLimit-Remaining", "4");
  }
}
