package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contract section 2: OAuth 2.0 authorization-code connect with PKCE, end to end against the sandbox's OAuth server. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class OAuthConnectTest {
  static Map<String, String> query(String url) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = URI.create(url).getRawQuery();
    if (raw == null) return params;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  /** What the user's browser does: follow one redirect by hand. */
  static String follow(String url) {
    ExtractableResponse<Response> answer = given().urlEncodingEnabled(false).redirects().follow(false).get(url).then().extract();
    assertTrue(answer.statusCode() == 302 || answer.statusCode() == 303, url + " answered " + answer.statusCode() + " " + answer.asString());
    return answer.header("Location");
  }

  @Test
  void theCodeFlowWithPkceCreatesAnAccountAndTheStateWorksOnce() {
    String key = Api.newWorkspace();
    var started = as(key).body(Map.of("platform", "sandbox", "redirect_uri", "https://app.example/connected?tab=accounts"))
        .post("/v1/accounts/connect").then().statusCode(200)
        .body("authorization_url", notNullValue()).body("state", notNullValue()).extract().jsonPath();
    String authorizationUrl = started.getString("authorization_url");
    Map<String, String> authorize = query(authorizationUrl);
    assertEquals("code", authorize.get("response_type"));
    assertEquals("S256", authorize.get("code_challenge_method"));
    assertEquals(43, authorize.get("code_challenge").length(), "a base64url SHA-256");
    assertEquals(started.getString("state"), authorize.get("state"));
    assertTrue(authorize.get("redirect_uri").endsWith("/oauth/callback"));

    String callback = follow(authorizationUrl + "&login_hint=alice");   // the platform approves and sends the browser back
    String back = follow(callback);                                     // we exchange the code and send the browser on
    assertTrue(back.startsWith("https://app.example/connected?tab=accounts"), back);
    Map<String, String> result = query(back);
    String accountId = result.get("account_id");
    assertEquals(started.getString("state"), result.get("state"));
    as(key).get("/v1/accounts/" + accountId).then().statusCode(200)
        .body("platform", equalTo("sandbox")).body("external_id", equalTo("sbx_alice")).body("handle", equalTo("@sbx_alice"))
        .body("status", equalTo("active")).body("token_expires_at", notNullValue());

    // The same callback again (a replayed or leaked link): no second account, an error for the caller's app.
    String replay = follow(callback);
    assertEquals("invalid_state", query(replay).get("error"));
    given().redirects().follow(false).get("/oauth/callback?code=x&state=never-issued").then().statusCode(400).body("code", equalTo("invalid_state"));
  }

  @Test
  void connectingAnAccountAgainRestoresItInsteadOfMakingASecond() throws Exception {
    String key = Api.newWorkspace();
    String first = connectAlice(key);
    // The platform revoked the token: the publisher's refresh was refused for good.
    try (var connection = RealInfrastructure.jdbc();
        var update = connection.prepareStatement("update posts.account set status = 'reauth_required' where id = ?")) {
      update.setString(1, first);
      update.executeUpdate();
    }
    as(key).get("/v1/accounts/" + first).then().body("status", equalTo("reauth_required"));
    assertEquals(first, connectAlice(key), "the user connects again: the same account, which its scheduled posts target");
    as(key).get("/v1/accounts/" + first).then().body("status", equalTo("active"));
    as(key).get("/v1/accounts").then().body("data.findAll { it.external_id == 'sbx_alice' }.size()", equalTo(1));

    // Bring your own token: the same account again answers 200 with its id; another account is 201.
    String byo = as(key).body(Map.of("platform", "sandbox", "external_id", "sbx_bob", "access_token", "t1")).post("/v1/accounts")
        .then().statusCode(201).extract().path("id");
    as(key).body(Map.of("platform", "sandbox", "external_id", "sbx_bob", "access_token", "t2")).post("/v1/accounts")
        .then().statusCode(200).body("id", equalTo(byo));
    as(key).delete("/v1/accounts/" + byo).then().statusCode(200).body("status", equalTo("disconnected"));
    as(key).body(Map.of("platform", "sandbox", "external_id", "sbx_bob", "access_token", "t3")).post("/v1/accounts")
        .then().statusCode(200).body("id", equalTo(byo)).body("status", equalTo("active"));
    // Another workspace connecting the same platform user gets its own account.
    String other = connectAlice(Api.newWorkspace());
    assertTrue(!other.equals(first));
  }

  @Test
  void anXAccountMayBeConnectedWithAnOAuth1TokenAndItsSecretKeptEncrypted() throws Exception {
    String key = Api.newWorkspace();
    String id = as(key).body(Map.of("platform", "x", "external_id", "2244994945", "access_token", "2244994945-oauth1accesstoken",
            "access_token_secret", "oauth1-token-secret")).post("/v1/accounts")
        .then().statusCode(201).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("access_token_secret"))).extract().path("id");
    try (var connection = RealInfrastructure.jdbc();
        var read = connection.prepareStatement("select token_secret, refresh_token from posts.account where id = ?")) {
      read.setString(1, id);
      try (var row = read.executeQuery()) {
        assertTrue(row.next());
        assertTrue(row.getString(1).startsWith("v1:"), "stored encrypted");
        assertEquals(null, row.getString(2));
      }
    }
    // the secret belongs to X's OAuth 1.0a only, and such a token has no refresh token
    as(key).body(Map.of("platform", "sandbox", "external_id", "s1", "access_token", "t", "access_token_secret", "s")).post("/v1/accounts")
        .then().statusCode(400).body("errors[0].field", equalTo("access_token_secret")).body("errors[0].code", equalTo("not_for_platform"));
    as(key).body(Map.of("platform", "x", "external_id", "2244994945", "access_token", "t", "access_token_secret", "s", "refresh_token", "r"))
        .post("/v1/accounts").then().statusCode(400).body("errors[0].code", equalTo("not_with_oauth1"));
    // connecting the same user again with an OAuth 2.0 token drops the secret: requests are then signed the OAuth 2.0 way
    as(key).body(Map.of("platform", "x", "external_id", "2244994945", "access_token", "oauth2-token")).post("/v1/accounts")
        .then().statusCode(200).body("id", equalTo(id));
    try (var connection = RealInfrastructure.jdbc();
        var read = connection.prepareStatement("select token_secret from posts.account where id = ?")) {
      read.setString(1, id);
      try (var row = read.executeQuery()) {
        assertTrue(row.next());
        assertEquals(null, row.getString(1));
      }
    }
  }

  private static String connectAlice(String key) {
    String url = as(key).body(Map.of("platform", "sandbox", "redirect_uri", "https://app.example/back"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    String accountId = query(follow(follow(url + "&login_hint=alice"))).get("account_id");
    assertTrue(accountId != null && accountId.startsWith("acc_"), String.valueOf(accountId));
    return accountId;
  }

  @Test
  void pkceAndCodesAreEnforcedByTheSandboxServerAndABlueskyConnectNamesTheAccount() {
    String key = Api.newWorkspace();
    String url = as(key).body(Map.of("platform", "sandbox", "redirect_uri", "https://app.example/back"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    String callback = follow(url);
    Map<String, String> params = query(callback);
    given().formParam("grant_type", "authorization_code").formParam("code", params.get("code"))
        .formParam("redirect_uri", query(url).get("redirect_uri")).formParam("client_id", "postflow").formParam("client_secret", "sandbox-secret")
        .formParam("code_verifier", "not-the-verifier-that-made-the-challenge-0123456789")
        .post("/sandbox/oauth/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
    // the code was spent by the failed attempt: the real callback now fails cleanly
    assertEquals("invalid_grant", query(follow(callback)).get("error"));

    // Bluesky's connect needs no client, but it must name the account.
    as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/back")).post("/v1/accounts/connect")
        .then().statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("handle"));
    as(key).body(Map.of("platform", "sandbox", "redirect_uri", "javascript:alert(1)")).post("/v1/accounts/connect")
        .then().statusCode(400).body("errors[0].field", equalTo("redirect_uri"));
  }
}
