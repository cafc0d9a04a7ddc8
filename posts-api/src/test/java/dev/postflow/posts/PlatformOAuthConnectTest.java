package dev.postflow.posts;

import static dev.postflow.posts.Api.as;


import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.BlueskySimulator;
import dev.postflow.testsupport.platforms.MastodonSimulator;
import dev.postflow.testsupport.platforms.OAuthServer;
import dev.postflow.testsupport.platforms.PlatformSimulators;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OAuth connect for the platforms whose connect is an authorization-code flow, each against its simulator's OAuth
 * server, which takes a code only the platform's way (client authentication, client id's name, PKCE, Google's offline
 * access, Meta's long-lived exchange): the account that comes out has the platform's user id, handle and token lifetime.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PlatformOAuthServers.class, restrictToAnnotatedClass = false)
class PlatformOAuthConnectTest {
  static Stream<Arguments> platforms() {
    return Stream.of(
        Arguments.of("x", PlatformSimulators.x.oauth, "2244994945", "XDevelopers", 7200),
        Arguments.of("linkedin", PlatformSimulators.linkedin.oauth, "yrZCpj2Z12", "Ada Lovelace", 5_184_000),
        Arguments.of("pinterest", PlatformSimulators.pinterest.oauth, "1017384559384", "ada_pins", 2_592_000),
        Arguments.of("tiktok", PlatformSimulators.tiktok.oauth, "723f24d7-e717-40f8-a2b6-cb8464cd23b4", "ada.tok", 86_400),
        Arguments.of("youtube", PlatformSimulators.youtube.oauth, "UC_x5XG1OV2P6uZZ5FSM9Ttw", "@adachannel", 3599),
        Arguments.of("google_business", PlatformSimulators.google.oauth, "accounts/1234567890/locations/987654321", "Ada's Bakery, Main Street", 3599),
        Arguments.of("threads", PlatformSimulators.threads.oauth, "25028473012345678", "ada.threads", 5_183_944),
        Arguments.of("instagram", PlatformSimulators.instagram.oauth, "17841405793187218", "ada.gram", 5_183_944));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("platforms")
  void eachPlatformsCodeFlowConnectsTheAccount(String platform, OAuthServer server, String userId, String handle, long lifetime) {
    String key = Api.newWorkspace();
    String url = as(key).body(Map.of("platform", platform, "redirect_uri", "https://app.example/accounts"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    Map<String, String> authorize = OAuthConnectTest.query(url);
    assertTrue(url.contains(server.dialect.authorizePath() + "?"), url);
    assertEquals(OAuthServer.CLIENT_ID, authorize.get(server.dialect.clientIdParam()), "the client, under the platform's name for it");
    assertEquals(server.dialect.pkce(), authorize.containsKey("code_challenge"), "PKCE exactly where the platform takes it");
    server.dialect.authorizeParams().forEach((name, value) -> assertEquals(value, authorize.get(name), name));
    assertFalse(authorize.get("scope").isBlank());

    int exchanges = server.codeExchanges.get();
    String back = OAuthConnectTest.follow(OAuthConnectTest.follow(url));   // the platform approves and sends the browser to our callback, which sends it on
    Map<String, String> result = OAuthConnectTest.query(back);
    assertTrue(back.startsWith("https://app.example/accounts?"), back);
    assertTrue(result.containsKey("account_id"), "connected: " + back);
    assertEquals(exchanges + 1, server.codeExchanges.get(), "one code exchange, authenticated the platform's way");

    var account = as(key).get("/v1/accounts/" + result.get("account_id")).then().statusCode(200)
        .body("platform", equalTo(platform)).body("external_id", equalTo(userId)).body("handle", equalTo(handle))
        .body("status", equalTo("active")).extract().jsonPath();
    Instant expiresAt = Instant.parse(account.getString("token_expires_at"));
    Instant expected = Instant.now().plusSeconds(lifetime);
    assertTrue(Duration.between(expiresAt, expected).abs().compareTo(Duration.ofMinutes(1)) < 0,
        "token_expires_at " + expiresAt + " is the platform's lifetime (" + lifetime + " s) from now");
  }

  @Test
  void mastodonConnectsAtTheUsersInstanceWhichRegistersOurAppOnce() {
    String key = Api.newWorkspace();
    var mastodon = PlatformSimulators.mastodon;
    int registrations = mastodon.appRegistrations.size();
    String instance = mastodon.baseUrl();
    String url = as(key).body(Map.of("platform", "mastodon", "redirect_uri", "https://app.example/accounts", "instance_url", instance + "/"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    assertTrue(url.startsWith(instance + "/oauth/authorize?"), url);
    Map<String, String> authorize = OAuthConnectTest.query(url);
    assertEquals(OAuthServer.CLIENT_ID, authorize.get("client_id"), "the client the instance registered for us");
    assertEquals("S256", authorize.get("code_challenge_method"));
    assertEquals(registrations + 1, mastodon.appRegistrations.size(), "our app registered at this instance");
    assertTrue(mastodon.appRegistrations.get(registrations).get("redirect_uris").endsWith("/oauth/callback"));

    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(url)));
    assertTrue(result.containsKey("account_id"), "connected: " + result);
    as(key).get("/v1/accounts/" + result.get("account_id")).then().statusCode(200)
        .body("platform", equalTo("mastodon")).body("external_id", equalTo(MastodonSimulator.ACCOUNT_ID)).body("handle", equalTo("ada"))
        .body("platform_fields.instance_url", equalTo(instance)).body("token_expires_at", nullValue()).body("status", equalTo("active"));

    // A second connect at the same instance uses the app registered the first time.
    as(key).body(Map.of("platform", "mastodon", "redirect_uri", "https://app.example/accounts", "instance_url", instance))
        .post("/v1/accounts/connect").then().statusCode(200);
    assertEquals(registrations + 1, mastodon.appRegistrations.size(), "registered once per instance");
  }

  @Test
  void facebookConnectsEveryPageTheUserGranted() {
    String key = Api.newWorkspace();
    var facebook = PlatformSimulators.facebook;
    String url = as(key).body(Map.of("platform", "facebook", "redirect_uri", "https://app.example/accounts"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    Map<String, String> authorize = OAuthConnectTest.query(url);
    assertTrue(url.contains("/v23.0/dialog/oauth?"), url);
    assertEquals(OAuthServer.CLIENT_ID, authorize.get("client_id"));
    assertTrue(authorize.get("scope").contains("pages_manage_posts"), authorize.get("scope"));

    // /me/accounts answers only the long-lived user token: the Pages listed prove the exchange happened.
    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(url)));
    List<String> ids = List.of(String.valueOf(result.get("account_ids")).split(","));
    assertEquals(2, ids.size(), "one account per Page granted: " + result);
    assertEquals(ids.get(0), result.get("account_id"));
    for (int i = 0; i < 2; i++) {
      as(key).get("/v1/accounts/" + ids.get(i)).then().statusCode(200).body("platform", equalTo("facebook"))
          .body("external_id", equalTo(facebook.grantedPages.get(i).get("id"))).body("handle", equalTo(facebook.grantedPages.get(i).get("name")))
          .body("token_expires_at", nullValue()).body("status", equalTo("active"));
    }

    // Connecting again gives the same accounts; a user who granted no Page gets an error, and no account.
    Map<String, String> again = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(as(key)
        .body(Map.of("platform", "facebook", "redirect_uri", "https://app.example/accounts")).post("/v1/accounts/connect").then().extract().path("authorization_url"))));
    assertEquals(result.get("account_ids"), again.get("account_ids"));
    var pages = facebook.grantedPages;
    facebook.grantedPages = List.of();
    try {
      Map<String, String> none = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(as(key)
          .body(Map.of("platform", "facebook", "redirect_uri", "https://app.example/accounts")).post("/v1/accounts/connect").then().extract().path("authorization_url"))));
      assertEquals("no_accounts_granted", none.get("error"));
    } finally {
      facebook.grantedPages = pages;
    }
    as(key).get("/v1/accounts").then().body("data.size()", equalTo(2));
  }

  @Test
  void googleBusinessProfileConnectsEveryLocationOfTheUsersAccounts() {
    String key = Api.newWorkspace();
    String url = as(key).body(Map.of("platform", "google_business", "redirect_uri", "https://app.example/accounts"))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(url)));
    List<String> ids = List.of(String.valueOf(result.get("account_ids")).split(","));
    assertEquals(2, ids.size(), "one account per location: " + result);
    as(key).get("/v1/accounts/" + ids.get(1)).then().statusCode(200).body("platform", equalTo("google_business"))
        .body("external_id", equalTo("accounts/1234567890/locations/987654322")).body("handle", equalTo("Ada's Bakery, Harbour"))
        .body("token_expires_at", notNullValue());
  }

  @Test
  void blueskyConnectsWithAtprotoOAuthAsAConfidentialClient() {
    String key = Api.newWorkspace();
    var bluesky = PlatformSimulators.bluesky;
    String base = bluesky.baseUrl();
    // The account was connected with an app password before (at the default PDS): OAuth connects that same account.
    String before = as(key).body(Map.of("platform", "bluesky", "external_id", BlueskySimulator.DID, "access_token", BlueskySimulator.APP_PASSWORD))
        .post("/v1/accounts").then().statusCode(201).body("platform_fields.pds_url", equalTo("https://bsky.social")).extract().path("id");
    bluesky.oauth.rotateNonce();   // whatever nonce we learned before is stale: the PAR must take the new one
    int pushed = bluesky.oauth.pushedRequests.get();
    int nonceRejections = bluesky.oauth.nonceRejections.get();
    String url = as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts", "handle", "@" + BlueskySimulator.HANDLE))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    assertTrue(url.startsWith(base + "/oauth/authorize?"), url);
    Map<String, String> authorize = OAuthConnectTest.query(url);
    String clientId = authorize.get("client_id");
    assertTrue(clientId.endsWith("/oauth/bluesky/client-metadata.json"), clientId);
    assertEquals(java.util.Set.of("client_id", "request_uri"), authorize.keySet(), "the request itself was pushed (PAR)");
    assertEquals(pushed + 1, bluesky.oauth.pushedRequests.get());
    assertTrue(bluesky.oauth.nonceRejections.get() > nonceRejections, "the first proof met use_dpop_nonce and was signed again with the nonce");
    assertTrue(bluesky.oauth.clientMetadataFetched.contains(clientId), "the server read our client metadata (and its jwks) from our client_id");

    // Our client metadata: a confidential web client with DPoP-bound tokens, its public key only.
    given().get(clientId).then().statusCode(200).contentType("application/json").body("client_id", equalTo(clientId))
        .body("token_endpoint_auth_method", equalTo("private_key_jwt")).body("dpop_bound_access_tokens", equalTo(true))
        .body("redirect_uris[0]", equalTo(clientId.replace("/oauth/bluesky/client-metadata.json", "/oauth/callback")))
        .body("jwks.keys.size()", equalTo(as(Api.ADMIN).get("/v1/admin/bluesky/client-keys").then().extract().path("data.size()")))
        .body("jwks.keys[0].crv", equalTo("P-256")).body("jwks.keys.d", everyItem(nullValue()));

    int exchanges = bluesky.oauth.codeExchanges.get();
    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(url)));
    assertTrue(result.containsKey("account_id"), "connected: " + result);
    assertEquals(before, result.get("account_id"), "the DID's account, connected again");
    as(key).get("/v1/accounts").then().body("data.size()", equalTo(1));
    assertEquals(exchanges + 1, bluesky.oauth.codeExchanges.get());
    var account = as(key).get("/v1/accounts/" + result.get("account_id")).then().statusCode(200)
        .body("platform", equalTo("bluesky")).body("external_id", equalTo(BlueskySimulator.DID)).body("handle", equalTo(BlueskySimulator.HANDLE))
        .body("platform_fields.pds_url", equalTo(base)).body("platform_fields.auth_server", equalTo(base))
        .body("platform_fields.token_endpoint", equalTo(base + "/oauth/token")).body("status", equalTo("active")).extract().jsonPath();
    Instant expiresAt = Instant.parse(account.getString("token_expires_at"));
    assertTrue(Duration.between(expiresAt, Instant.now().plus(bluesky.oauth.accessLifetime)).abs().compareTo(Duration.ofMinutes(1)) < 0, expiresAt.toString());
  }

  @Test
  void blueskyClientKeysRotateWithoutEndingSessionsAndRetiringOneEndsOnlyItsOwn() {
    String key = Api.newWorkspace();
    var bluesky = PlatformSimulators.bluesky;
    as(key).get("/v1/admin/bluesky/client-keys").then().statusCode(403);
    // A connect pushed with the key of the time, completed after a rotation: its code is exchanged with that same key
    String url = as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts", "handle", BlueskySimulator.HANDLE))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    String oldKid = as(Api.ADMIN).get("/v1/admin/bluesky/client-keys").then().statusCode(200).body("data[0].active", equalTo(true))
        .extract().path("data[0].kid");
    String newKid = as(Api.ADMIN).post("/v1/admin/bluesky/client-keys").then().statusCode(201).body("active", equalTo(true))
        .body("accounts", equalTo(0)).extract().path("kid");
    Map<String, String> result = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(url)));
    assertTrue(result.containsKey("account_id"), "connected: " + result);
    as(key).get("/v1/accounts/" + result.get("account_id")).then().body("platform_fields.client_kid", equalTo(oldKid));

    // Both keys are published (the new first); a new connect signs with the new one
    String clientId = bluesky.oauth.clientMetadataFetched.iterator().next();
    List<String> published = given().get(clientId).then().extract().path("jwks.keys.kid");
    assertEquals(newKid, published.get(0));
    assertTrue(published.contains(oldKid), "the old key stays for the sessions that began with it");
    String otherWorkspace = Api.newWorkspace();
    String second = as(otherWorkspace).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts", "handle", BlueskySimulator.HANDLE))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    Map<String, String> connected = OAuthConnectTest.query(OAuthConnectTest.follow(OAuthConnectTest.follow(second)));
    as(otherWorkspace).get("/v1/accounts/" + connected.get("account_id")).then().body("platform_fields.client_kid", equalTo(newKid));

    // Retiring: never the key that signs new connects; a key in use only when forced, and then it is no longer published
    as(Api.ADMIN).delete("/v1/admin/bluesky/client-keys/" + newKid).then().statusCode(409).body("code", equalTo("key_active"));
    as(Api.ADMIN).delete("/v1/admin/bluesky/client-keys/" + oldKid).then().statusCode(409).body("code", equalTo("key_in_use"))
        .body("detail", containsString("force=true"));
    as(Api.ADMIN).get("/v1/admin/bluesky/client-keys").then().body("data.find { it.kid == '" + oldKid + "' }.accounts", greaterThanOrEqualTo(1));
    as(Api.ADMIN).delete("/v1/admin/bluesky/client-keys/" + oldKid + "?force=true").then().statusCode(204);
    as(Api.ADMIN).delete("/v1/admin/bluesky/client-keys/" + oldKid).then().statusCode(404);
    List<String> after = given().get(clientId).then().extract().path("jwks.keys.kid");
    assertTrue(!after.contains(oldKid) && after.contains(newKid), after.toString());
  }

  @Test
  void aBlueskyConnectTrustsOnlyTheAccountsOwnServer() {
    String key = Api.newWorkspace();
    String base = PlatformSimulators.bluesky.baseUrl();
    as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts")).post("/v1/accounts/connect")
        .then().statusCode(400).body("errors[0].field", equalTo("handle")).body("errors[0].code", equalTo("required"));
    as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts", "handle", "nobody.example"))
        .post("/v1/accounts/connect").then().statusCode(400).body("errors[0].field", equalTo("handle")).body("errors[0].code", equalTo("handle_not_found"));
    // alice.bsky.social resolves to a DID the directory has no document for.
    as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts", "handle", "alice.bsky.social"))
        .post("/v1/accounts/connect").then().statusCode(400).body("errors[0].code", equalTo("did_not_found"));

    // A callback naming another issuer than the account's server is refused, and nothing is connected.
    String url = as(key).body(Map.of("platform", "bluesky", "redirect_uri", "https://app.example/accounts", "handle", BlueskySimulator.DID))
        .post("/v1/accounts/connect").then().statusCode(200).extract().path("authorization_url");
    String callback = OAuthConnectTest.follow(url);
    String forged = callback.replace("iss=" + java.net.URLEncoder.encode(base, java.nio.charset.StandardCharsets.UTF_8), "iss=https%3A%2F%2Fevil.example");
    assertFalse(forged.equals(callback), callback);
    assertEquals("issuer_mismatch", OAuthConnectTest.query(OAuthConnectTest.follow(forged)).get("error"));
    as(key).get("/v1/accounts").then().body("data.size()", equalTo(0));
  }

  @Test
  void aMastodonConnectNeedsAnInstanceThatIsOne() {
    String key = Api.newWorkspace();
    as(key).body(Map.of("platform", "mastodon", "redirect_uri", "https://app.example/accounts")).post("/v1/accounts/connect")
        .then().statusCode(400).body("errors[0].field", equalTo("instance_url")).body("errors[0].code", equalTo("invalid_url"));
    // The X simulator is no Mastodon server: /api/v1/apps gives no client.
    as(key).body(Map.of("platform", "mastodon", "redirect_uri", "https://app.example/accounts", "instance_url", PlatformSimulators.x.baseUrl()))
        .post("/v1/accounts/connect").then().statusCode(400).body("errors[0].field", equalTo("instance_url"))
        .body("errors[0].code", equalTo("instance_refused"));
  }

  @Test
  void aTokenEndpointTakesTheClientOnlyThePlatformsWay() {
    // X's confidential clients must use HTTP Basic; the id and secret in the form are refused.
    given().formParam("grant_type", "authorization_code").formParam("code", "any").formParam("redirect_uri", "https://app.example/")
        .formParam("client_id", OAuthServer.CLIENT_ID).formParam("client_secret", OAuthServer.CLIENT_SECRET)
        .post(PlatformSimulators.x.baseUrl() + "/2/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
    // TikTok knows no client_id: its client is a client_key.
    given().formParam("grant_type", "authorization_code").formParam("code", "any").formParam("redirect_uri", "https://app.example/")
        .formParam("client_id", OAuthServer.CLIENT_ID).formParam("client_secret", OAuthServer.CLIENT_SECRET)
        .post(PlatformSimulators.tiktok.baseUrl() + "/v2/oauth/token/").then().statusCode(401).body("error", equalTo("invalid_client"));
  }
}
