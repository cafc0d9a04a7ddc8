package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.posts.connect.ConnectLinks;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hosted connect links: the workspace asks for a link, its user opens the page (no API key), picks a platform, consents
 * on the platform and comes back to the workspace's redirect_uri with the new account.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class ConnectLinkTest {
  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;

  @Test
  void aUserConnectsAnAccountThroughTheHostedPage() {
    String key = Api.newWorkspace();
    Instant before = Instant.now();
    var link = as(key).body(Map.of("redirect_uri", "https://app.example/accounts?tab=social", "platforms", List.of("sandbox", "mastodon")))
        .post("/v1/connect-links").then().statusCode(201)
        .body("platforms", equalTo(List.of("sandbox", "mastodon"))).body("redirect_uri", equalTo("https://app.example/accounts?tab=social"))
        .body("url", containsString("/connect/")).extract();
    Duration valid = Duration.between(before, Instant.parse(link.path("expires_at")));
    assertTrue(valid.compareTo(Duration.ofMinutes(59)) > 0 && valid.compareTo(Duration.ofMinutes(61)) < 0, valid.toString());
    String page = relative(link.path("url"));

    // The page: who asks, one button per platform (Mastodon asks for the server), locked down for a browser.
    given().get(page).then().statusCode(200).contentType(containsString("text/html"))
        .header("Content-Security-Policy", containsString("frame-ancestors 'none'")).header("Referrer-Policy", equalTo("no-referrer"))
        .header("Cache-Control", equalTo("no-store"))
        .body(containsString("Connect your accounts to Acme")).body(containsString("Connect Sandbox"))
        .body(containsString("Connect Mastodon")).body(containsString("name=\"instance_url\"")).body(not(containsString("Connect X")));

    // The user picks the sandbox: its consent screen, then back to the workspace's page with the account.
    String authorize = OAuthConnectTest.follow(page + "/start?platform=sandbox");
    assertTrue(authorize.contains("/sandbox/oauth/authorize?"), authorize);
    String back = OAuthConnectTest.follow(OAuthConnectTest.follow(authorize + "&login_hint=linkuser"));
    assertTrue(back.startsWith("https://app.example/accounts?tab=social"), back);
    String accountId = OAuthConnectTest.query(back).get("account_id");
    as(key).get("/v1/accounts/" + accountId).then().statusCode(200).body("platform", equalTo("sandbox"))
        .body("external_id", equalTo("sbx_linkuser")).body("status", equalTo("active"));

    // Only the link's platforms, and a refusal the user can read.
    given().get(page + "/start?platform=x").then().statusCode(400).contentType(containsString("text/html"))
        .body(containsString("this link connects [sandbox, mastodon]"));
    given().get(page + "/start?platform=mastodon&instance_url=not+a+server").then().statusCode(400)
        .body(containsString("names the user&#39;s instance"));
  }

  @Test
  void aLinkIsRefusedWhenAlteredOrExpiredAndEveryBadFieldIsNamed() throws Exception {
    String key = Api.newWorkspace();
    String page = relative(as(key).body(Map.of("redirect_uri", "https://app.example/back", "platforms", List.of("sandbox")))
        .post("/v1/connect-links").then().statusCode(201).extract().path("url"));
    String token = page.substring("/connect/".length());
    String altered = token.substring(0, 40) + (token.charAt(40) == 'A' ? 'B' : 'A') + token.substring(41);
    given().get("/connect/" + altered).then().statusCode(404).contentType(containsString("text/html"))
        .body(containsString("This link is not valid"));
    given().get("/connect/" + altered + "/start?platform=sandbox").then().statusCode(404);
    given().get("/connect/not-base64!").then().statusCode(404);

    String workspaceId = workspaceOf(token);
    String expired = seal(new ConnectLinks.Claims(workspaceId, List.of("sandbox"), "https://app.example/back", Instant.now().minusSeconds(1).getEpochSecond()));
    given().get("/connect/" + expired).then().statusCode(410).body(containsString("This link has expired"));
    given().redirects().follow(false).get("/connect/" + expired + "/start?platform=sandbox").then().statusCode(410);

    as(key).body(Map.of("redirect_uri", "app.example", "platforms", List.of("sandbox", "myspace"), "expires_in", 10))
        .post("/v1/connect-links").then().statusCode(400)
        .body("errors.field", hasItems("redirect_uri", "platforms[1]", "expires_in"))
        .body("errors.code", hasItems("invalid_url", "platform_not_connectable", "out_of_range"));
    as(key).body("{\"redirect_uri\":\"https://app.example/back\",\"platforms\":[null]}").post("/v1/connect-links").then().statusCode(400)
        .body("errors[0].field", equalTo("platforms[0]"));
    // By default every real platform the workspace can connect (at least Mastodon and Bluesky, which need nothing set).
    var all = as(key).body(Map.of("redirect_uri", "https://app.example/back")).post("/v1/connect-links").then().statusCode(201)
        .body("platforms", hasItems("mastodon", "bluesky")).extract().<List<String>>path("platforms");
    assertFalse(all.contains("sandbox"), all.toString());
    as(Api.ADMIN).body(Map.of("redirect_uri", "https://app.example/back")).post("/v1/connect-links").then().statusCode(403);
  }

  private String workspaceOf(String token) throws Exception {
    String sealed = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    return json.readValue(cipher.decrypt(sealed), ConnectLinks.Claims.class).workspaceId();
  }

  private String seal(ConnectLinks.Claims claims) throws Exception {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cipher.encrypt(json.writeValueAsString(claims)).getBytes(StandardCharsets.UTF_8));
  }

  private static String relative(String url) {
    String path = url.substring(url.indexOf("/connect/"));
    assertEquals(-1, path.indexOf('?'), "the token is in the path");
    return path;
  }
}
