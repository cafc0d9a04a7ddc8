package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /v1/platforms: the rules a post is checked against, as data a caller can show in its own editor. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class PlatformsTest {
  @Test
  void everyPlatformSaysWhatItTakesAndThatIsWhatPostsAreCheckedAgainst() {
    String key = Api.newWorkspace();
    as(key).get("/v1/platforms").then().statusCode(200)
        .body("data.platform", equalTo(List.of("bluesky", "facebook", "google_business", "instagram", "linkedin", "mastodon", "pinterest",
            "sandbox", "threads", "tiktok", "x", "youtube")))
        .body("data.find { it.platform == 'x' }.text.unit", equalTo("x_weighted"))
        .body("data.find { it.platform == 'x' }.threads", equalTo(true))
        .body("data.find { it.platform == 'instagram' }.threads", equalTo(false));
    as(key).get("/v1/platforms/linkedin").then().statusCode(200)
        .body("media.documents.types", equalTo(List.of("application/pdf",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")))
        .body("media.documents.max_pages", equalTo(300))
        .body("options.find { it.name == 'document_title' }.kind", equalTo("text"));
    as(key).get("/v1/platforms/youtube").then().statusCode(200)
        .body("media.max_videos", equalTo(1)).body("media.documents", nullValue())
        .body("options.findAll { it.required }.name", equalTo(List.of("title", "privacy")))
        .body("options.find { it.name == 'privacy' }.allowed", equalTo(List.of("private", "public", "unlisted")))
        .body("options.find { it.name == 'captions' }.kind", equalTo("captions"))
        .body("options.find { it.name == 'made_for_kids' }.kind", equalTo("flag"));
    as(key).get("/v1/platforms/myspace").then().statusCode(404).body("code", equalTo("not_found"));
    given().get("/v1/platforms").then().statusCode(401);

    // the limit it states is the limit a post meets: Bluesky's 300 graphemes
    int max = as(key).get("/v1/platforms/bluesky").then().extract().path("text.max");
    String bluesky = as(key).body(Map.of("platform", "bluesky", "external_id", "did:plc:platforms", "access_token", "bluesky-token"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
    as(key).body(Map.of("text", "a".repeat(max + 1), "account_ids", List.of(bluesky), "scheduled_at", Instant.now().plusSeconds(3600).toString()))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.code == 'text_too_long' }.limit", hasItems(max));
  }
}
