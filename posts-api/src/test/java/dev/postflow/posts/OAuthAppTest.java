package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Topics;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.OAuthServer;
import dev.postflow.testsupport.platforms.PlatformSimulators;
import dev.postflow.testsupport.platforms.XSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A workspace's own OAuth app ("bring your own app"): its connects go through its client, each platform's way (the
 * simulators' OAuth servers take a code only from the client it was issued to, and Meta's long-lived exchange only
 * with that client's secret), its accounts remember the app, and replacing or deleting the app never strands an
 * account silently.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PlatformOAuthServers.class, restrictToAnnotatedClass = false)
class OAuthAppTest {
  static Stream<Arguments> platforms() {
    return Stream.of(
        Arguments.of("x", PlatformSimulators.x.oauth, 1),
        Arguments.of("tiktok", PlatformSimulators.tiktok.oauth, 1),
        Arguments.of("instagram", PlatformSimulators.instagram.oauth, 1),
        Arguments.of("facebook", PlatformSimulators.facebook.oauth, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("platforms")
  void theWorkspacesConnectsGoThroughItsOwnApp(String platform, OAuthServer server, int accounts) {
    String key = Api.newWorkspace();
    String client = platform + "-ws-client-" + UUID.randomUUID();
    String secret = "ws-secret-" + UUID.randomUUID();
    server.register(client, secret);

    var saved = as(key).body(Map.of("client_id", client, "client_secret", secret)).put("/v1/oauth-apps/" + platform).then().statusCode(201)
        .body("platform", equalTo(platform)).body("client_id", equalTo(client)).body("client_secret_set", equalTo(true))
        .body("active", equalTo(true)).body("accounts", equalTo(0)).extract();
    assertFalse(saved.asString().contains(secret), "the secret is never shown");
    String app = saved.path("id");

    String url = startConnect(key, platform);
    assertEquals(client, OAuthConnectTest.query(url).get(server.dialect.clientIdParam()), "the workspace's client, the platform's way");
    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(url)));
    assertTrue(result.containsKey("account_id"), "connected through the workspace's app: " + result);
    List<String> ids = List.of(result.getOrDefault("account_ids", result.get("account_id")).split(","));
    assertEquals(accounts, ids.size());
    for (String id : ids) as(key).get("/v1/accounts/" + id).then().statusCode(200).body("oauth_app_id", equalTo(app)).body("status", equalTo("active"));
    as(key).get("/v1/oauth-apps").then().statusCode(200).body("data.size()", equalTo(1)).body("data[0].accounts", equalTo(accounts));

    // Another workspace, without an app of its own, connects through the deployment's.
    String other = Api.newWorkspace();
    assertEquals(OAuthServer.CLIENT_ID, OAuthConnectTest.query(startConnect(other, platform)).get(server.dialect.clientIdParam()));
    as(other).get("/v1/oauth-apps").then().statusCode(200).body("data.size()", equalTo(0));
    as(other).get("/v1/oauth-apps/" + platform + "/" + app).then().statusCode(404);
  }

  @Test
  void aReplacedAppStaysForItsAccountsAndADeletedOneAsksThemToReconnect() {
    String key = Api.newWorkspace();
    OAuthServer linkedin = PlatformSimulators.linkedin.oauth;
    String first = "li-first-" + UUID.randomUUID();
    String second = "li-second-" + UUID.randomUUID();
    linkedin.register(first, "first-secret");
    linkedin.register(second, "second-secret");
    String a = as(key).body(Map.of("client_id", first, "client_secret", "first-secret")).put("/v1/oauth-apps/linkedin").then().statusCode(201)
        .extract().path("id");

    // A connect begun with the first app ends with it, although the workspace switched to a second app meanwhile.
    String begun = startConnect(key, "linkedin");
    String b = as(key).body(Map.of("client_id", second, "client_secret", "second-secret")).put("/v1/oauth-apps/linkedin").then().statusCode(201)
        .extract().path("id");
    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(begun)));
    String account = result.get("account_id");
    as(key).get("/v1/accounts/" + account).then().statusCode(200).body("oauth_app_id", equalTo(a));
    as(key).get("/v1/oauth-apps").then().statusCode(200).body("data.id", equalTo(List.of(b, a)))
        .body("data.active", equalTo(List.of(true, false))).body("data.accounts", equalTo(List.of(0, 1)));
    assertEquals(second, OAuthConnectTest.query(startConnect(key, "linkedin")).get("client_id"), "new connects: the second app");

    // The same client id again is the same app with a rotated secret, active again.
    linkedin.register(first, "first-secret-rotated");
    as(key).body(Map.of("client_id", first, "client_secret", "first-secret-rotated")).put("/v1/oauth-apps/linkedin").then().statusCode(200)
        .body("id", equalTo(a)).body("active", equalTo(true));
    as(key).get("/v1/oauth-apps/linkedin/" + b).then().statusCode(200).body("active", equalTo(false));

    // Deleting an app its accounts refresh with is refused unless forced; forced, they must reconnect (and are told).
    as(key).delete("/v1/oauth-apps/linkedin/" + a).then().statusCode(409).body("code", equalTo("app_in_use"));
    as(key).delete("/v1/oauth-apps/linkedin/" + b).then().statusCode(204);
    as(key).delete("/v1/oauth-apps/linkedin/" + a + "?force=true").then().statusCode(204);
    as(key).get("/v1/accounts/" + account).then().statusCode(200).body("status", equalTo("reauth_required"));
    var events = KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> r.value().contains("account.reauth_required") && r.value().contains(account), 1,
        Duration.ofSeconds(20));
    assertTrue(events.get(0).value().contains("was deleted"), events.get(0).value());
    as(key).get("/v1/oauth-apps").then().statusCode(200).body("data.size()", equalTo(0));
    assertEquals(OAuthServer.CLIENT_ID, OAuthConnectTest.query(startConnect(key, "linkedin")).get("client_id"), "back to the deployment's app");

    // A connect whose app was deleted before the user came back fails with a reason, and connects nothing.
    String third = "li-third-" + UUID.randomUUID();
    linkedin.register(third, "third-secret");
    String c = as(key).body(Map.of("client_id", third, "client_secret", "third-secret")).put("/v1/oauth-apps/linkedin").then().extract().path("id");
    String orphaned = startConnect(key, "linkedin");
    as(key).delete("/v1/oauth-apps/linkedin/" + c).then().statusCode(204);
    assertEquals("oauth_app_deleted", OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(orphaned))).get("error"));
  }

  @Test
  void aTokenBroughtForTheWorkspacesXAppIsSignedWithItsKeys() {
    String key = Api.newWorkspace();
    as(key).body(Map.of("platform", "x", "external_id", XSimulator.USER_ID, "access_token", "t", "access_token_secret", "s", "oauth_app_id", "app_nope"))
        .post("/v1/accounts").then().statusCode(400).body("errors[0].field", equalTo("oauth_app_id"))
        .body("errors[0].code", equalTo("oauth_app_not_found"));
    String withoutKeys = as(key).body(Map.of("client_id", "x-ws-" + UUID.randomUUID())).put("/v1/oauth-apps/x").then().statusCode(201)
        .body("client_secret_set", equalTo(false)).extract().path("id");
    as(key).body(Map.of("platform", "x", "external_id", XSimulator.USER_ID, "access_token", "t", "access_token_secret", "s"))
        .post("/v1/accounts").then().statusCode(400).body("errors[0].code", equalTo("oauth1_not_configured"));
    as(key).body(Map.of("client_id", "x-ws-2-" + UUID.randomUUID(), "client_secret", "cs", "consumer_key", "ck", "consumer_secret", "ss"))
        .put("/v1/oauth-apps/x").then().statusCode(201).body("consumer_key", equalTo("ck")).body("consumer_secret_set", equalTo(true));
    String app = as(key).get("/v1/oauth-apps").then().extract().path("data.find { it.active }.id");
    as(key).body(Map.of("platform", "x", "external_id", XSimulator.USER_ID, "access_token", "t", "access_token_secret", "s"))
        .post("/v1/accounts").then().statusCode(201).body("oauth_app_id", equalTo(app));
    // a token of the app replaced earlier, named explicitly
    as(key).body(Map.of("platform", "x", "external_id", "other-user", "access_token", "t2", "oauth_app_id", withoutKeys))
        .post("/v1/accounts").then().statusCode(201).body("oauth_app_id", equalTo(withoutKeys));
    // without an app of its own, a workspace's tokens are the deployment's app's
    as(Api.newWorkspace()).body(Map.of("platform", "x", "external_id", XSimulator.USER_ID, "access_token", "t", "access_token_secret", "s"))
        .post("/v1/accounts").then().statusCode(201).body("oauth_app_id", nullValue());
  }

  @Test
  void everyFieldOfABadAppIsNamed() {
    String key = Api.newWorkspace();
    as(key).body(Map.of()).put("/v1/oauth-apps/mastodon").then().statusCode(400).body("code", equalTo("validation_failed"))
        .body("errors.field", equalTo(List.of("platform", "client_id"))).body("errors[0].code", equalTo("oauth_app_not_supported"));
    as(key).body(Map.of("client_id", "c", "consumer_key", "k", "consumer_secret", "s")).put("/v1/oauth-apps/linkedin").then().statusCode(400)
        .body("errors[0].field", equalTo("consumer_key")).body("errors[0].code", equalTo("not_for_platform"));
    as(key).body(Map.of("client_id", "c", "consumer_key", "k")).put("/v1/oauth-apps/x").then().statusCode(400)
        .body("errors[0].field", equalTo("consumer_secret")).body("errors[0].code", equalTo("required"));
    as(key).get("/v1/oauth-apps/x/app_missing").then().statusCode(404);
    as(key).delete("/v1/oauth-apps/x/app_missing").then().statusCode(404);
  }

  private static String startConnect(String key, String platform) {
    return as(key).body(Map.of("platform", platform, "redirect_uri", "https://app.example/accounts"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
  }
}
