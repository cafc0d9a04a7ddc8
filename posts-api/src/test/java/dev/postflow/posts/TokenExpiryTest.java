package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A token nothing renews (no refresh token: LinkedIn's 60-day tokens) is shown before it ends: the account's health
 * needs attention in its last week, and a post due after it ends is accepted with a warning.
 */
@QuarkusTest
class TokenExpiryTest {
  @Test
  void aTokenThatEndsUnrenewedIsShownInHealthAndInTheChecksOfLaterPosts() {
    String key = Api.newWorkspace();
    String ending = connect(key, Duration.ofDays(3), null);
    String renewed = connect(key, Duration.ofDays(3), "li-refresh");
    String later = connect(key, Duration.ofDays(30), null);

    as(key).get("/v1/accounts/" + ending).then().statusCode(200).body("health.status", equalTo("needs_attention"))
        .body("health.reason", equalTo("token_expiring")).body("health.message", containsString("connect the account again"));
    as(key).get("/v1/accounts/" + renewed).then().statusCode(200).body("health.status", equalTo("ok")).body("health.reason", nullValue());
    as(key).get("/v1/accounts/" + later).then().statusCode(200).body("health.status", equalTo("ok"));

    String inFourDays = Instant.now().plus(Duration.ofDays(4)).toString();
    as(key).body(post(List.of(ending, renewed, later), inFourDays)).post("/v1/posts/validate").then().statusCode(200)
        .body("valid", equalTo(true)).body("warnings.field", equalTo(List.of("account_ids[0]")))
        .body("warnings[0].code", equalTo("token_expires_first"));
    as(key).body(post(List.of(ending), Instant.now().plus(Duration.ofDays(1)).toString())).post("/v1/posts/validate").then().statusCode(200)
        .body("warnings", empty());
    as(key).body(post(List.of(later), Instant.now().plus(Duration.ofDays(40)).toString())).post("/v1/posts/validate").then().statusCode(200)
        .body("warnings[0].field", equalTo("account_ids[0]")).body("warnings[0].code", equalTo("token_expires_first"));
    // accepted all the same: the account may be connected again before then
    as(key).body(post(List.of(ending), inFourDays)).post("/v1/posts").then().statusCode(201).body("status", equalTo("scheduled"));
  }

  private static String connect(String key, Duration lifetime, String refreshToken) {
    Map<String, Object> body = new HashMap<>(Map.of("platform", "linkedin", "external_id", "li-" + UUID.randomUUID(), "access_token", "li-token",
        "expires_at", Instant.now().plus(lifetime).toString()));
    if (refreshToken != null) body.put("refresh_token", refreshToken);
    return as(key).body(body).post("/v1/accounts").then().statusCode(201).extract().path("id");
  }

  private static Map<String, Object> post(List<String> accounts, String at) {
    return Map.of("text", "a post for later", "account_ids", accounts, "scheduled_at", at);
  }
}
