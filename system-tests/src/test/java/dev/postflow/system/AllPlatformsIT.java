package dev.postflow.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.platforms.BlueskySimulator;
import dev.postflow.testsupport.platforms.FacebookSimulator;
import dev.postflow.testsupport.platforms.GoogleBusinessSimulator;
import dev.postflow.testsupport.platforms.LinkedInSimulator;
import dev.postflow.testsupport.platforms.MastodonSimulator;
import dev.postflow.testsupport.platforms.MetaContainerSimulator;
import dev.postflow.testsupport.platforms.PinterestSimulator;
import dev.postflow.testsupport.platforms.PlatformSimulators;
import dev.postflow.testsupport.platforms.TikTokSimulator;
import dev.postflow.testsupport.platforms.XSimulator;
import dev.postflow.testsupport.platforms.YouTubeSimulator;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One scheduled post with a target on each of the eleven platforms goes through the real pipeline (posts-api, Kafka,
 * scheduler, publisher, PostgreSQL) to the platforms' protocol simulators, media included (uploaded to posts-api and
 * pulled or uploaded through its signed links).
 */
class AllPlatformsIT {
  private static RunningServices services;

  @BeforeAll
  static void start() {
    services = RunningServices.shared();
  }

  private static RequestSpecification as(String key) {
    return given().baseUri(services.apiUrl()).header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  private static String connect(String key, String platform, String externalId, String token, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(Map.of("platform", platform, "external_id", externalId, "access_token", token));
    body.putAll(fields);
    return as(key).body(body).post("/v1/accounts").then().statusCode(201).extract().path("id");
  }

  private static String upload(String key, byte[] bytes, String type) {
    return given().baseUri(services.apiUrl()).header("Authorization", "Bearer " + key).contentType(type).body(bytes)
        .post("/v1/media").then().statusCode(201).extract().path("id");
  }

  @Test
  void aPostWithATargetOnEveryPlatformIsPublishedOnceOnEach() {
    PlatformSimulators.all().forEach(simulator -> simulator.reset());
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Everywhere")).post("/v1/workspaces").then().statusCode(201)
        .extract().path("api_key");
    String jpeg = upload(key, MediaFiles.jpeg(1080, 1080), "image/jpeg");
    String mp4 = upload(key, MediaFiles.mp4(1080, 1920, 15_000), "video/mp4");
    String png = upload(key, MediaFiles.png(1280, 720), "image/png");
    byte[] deck = MediaFiles.pdf(6);
    String pdf = upload(key, deck, "application/pdf");
    byte[] subtitles = MediaFiles.vtt("Launch day", 5);
    String vtt = upload(key, subtitles, "text/vtt");

    Map<String, String> accounts = new LinkedHashMap<>();
    accounts.put("instagram", connect(key, "instagram", "17841400000000009", MetaContainerSimulator.TOKEN, Map.of()));
    accounts.put("facebook", connect(key, "facebook", "104000000000009", FacebookSimulator.TOKEN, Map.of()));
    accounts.put("threads", connect(key, "threads", "25000000000000009", MetaContainerSimulator.TOKEN, Map.of()));
    accounts.put("x", connect(key, "x", XSimulator.USER_ID, XSimulator.TOKEN, Map.of()));
    accounts.put("linkedin", connect(key, "linkedin", "urn:li:person:42", LinkedInSimulator.TOKEN, Map.of()));
    accounts.put("bluesky", connect(key, "bluesky", BlueskySimulator.DID, BlueskySimulator.APP_PASSWORD,
        Map.of("pds_url", PlatformSimulators.bluesky.baseUrl())));
    accounts.put("mastodon", connect(key, "mastodon", "109", MastodonSimulator.TOKEN,
        Map.of("instance_url", PlatformSimulators.mastodon.baseUrl())));
    accounts.put("tiktok", connect(key, "tiktok", "tester", TikTokSimulator.TOKEN, Map.of()));
    accounts.put("youtube", connect(key, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of()));
    accounts.put("pinterest", connect(key, "pinterest", "pinuser", PinterestSimulator.TOKEN, Map.of()));
    accounts.put("google_business", connect(key, "google_business", GoogleBusinessSimulator.LOCATION, GoogleBusinessSimulator.TOKEN, Map.of()));

    List<Map<String, Object>> targets = new ArrayList<>();
    accounts.forEach((platform, account) -> {
      Map<String, Object> target = new HashMap<>(Map.of("account_id", account));
      switch (platform) {
        case "instagram" -> {
          target.put("media_ids", List.of(jpeg));
          target.put("platform_options", Map.of("instagram", Map.of("first_comment", "#launch #everywhere")));
        }
        case "bluesky" -> {
          target.put("media_ids", List.of(jpeg));
          target.put("platform_options", Map.of("bluesky", Map.of("thread", List.of(Map.of("text", "2/2: the rest of the story",
              "media_ids", List.of(png))))));
        }
        case "linkedin" -> {
          target.put("media_ids", List.of(pdf));
          target.put("platform_options", Map.of("linkedin", Map.of("document_title", "Launch deck")));
        }
        case "pinterest" -> {
          target.put("media_ids", List.of(jpeg));
          target.put("platform_options", Map.of("pinterest", Map.of("board_id", PinterestSimulator.BOARD)));
        }
        case "tiktok" -> {
          target.put("media_ids", List.of(mp4));
          target.put("platform_options", Map.of("tiktok", Map.of("privacy_level", "SELF_ONLY")));
        }
        case "youtube" -> {
          target.put("media_ids", List.of(mp4));
          target.put("platform_options", Map.of("youtube", Map.of("title", "Launch day", "privacy", "unlisted", "thumbnail", png,
              "captions", List.of(Map.of("lang", "en", "media_id", vtt)))));
        }
        default -> { }
      }
      targets.add(target);
    });
    // a thread's replies are checked one by one, before anything is stored
    Map<String, Object> badThread = Map.of("account_id", accounts.get("bluesky"),
        "platform_options", Map.of("bluesky", Map.of("thread", List.of("fine", "x".repeat(301)))));
    String problems = as(key).body(Map.of("text", "1/3", "targets", List.of(badThread), "publish_now", true))
        .post("/v1/posts").then().statusCode(400).extract().asString();
    assertTrue(problems.contains("platform_options.bluesky.thread[1]") && problems.contains("text_too_long"), problems);
    // TikTok: a direct post needs a privacy level; an upload to the creator's inbox leaves it to the creator
    Map<String, Object> inboxWithPrivacy = Map.of("account_id", accounts.get("tiktok"), "media_ids", List.of(mp4),
        "platform_options", Map.of("tiktok", Map.of("post_mode", "MEDIA_UPLOAD", "privacy_level", "SELF_ONLY")));
    String tiktokProblems = as(key).body(Map.of("text", "to the inbox", "targets", List.of(inboxWithPrivacy), "publish_now", true))
        .post("/v1/posts").then().statusCode(400).extract().asString();
    assertTrue(tiktokProblems.contains("platform_options.tiktok.privacy_level") && tiktokProblems.contains("not_with_media_upload"), tiktokProblems);

    Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    String postId = as(key).body(Map.of("text", "Launch day 🚀 everywhere at once #launch https://example.com", "targets", targets,
            "scheduled_at", at.toString()))
        .post("/v1/posts").then().statusCode(201).extract().path("id");

    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertEquals("published", as(key).get("/v1/posts/" + postId).then().extract().path("status"),
            () -> as(key).get("/v1/posts/" + postId).asString()));
    JsonPath post = as(key).get("/v1/posts/" + postId).then().statusCode(200).extract().jsonPath();
    for (int i = 0; i < 11; i++) {
      assertEquals("published", post.getString("targets[" + i + "].status"), post.prettify());
      assertNotNull(post.getString("targets[" + i + "].platform_post_id"), post.prettify());
    }
    assertEquals(1, PlatformSimulators.instagram.published.size());
    assertEquals("#launch #everywhere", PlatformSimulators.instagram.comments.comments.get(0).get("text"), "the first comment under the post");
    assertEquals(1, PlatformSimulators.facebook.posts.size());
    assertEquals(1, PlatformSimulators.threads.published.size());
    assertEquals(1, PlatformSimulators.x.tweets.size());
    assertEquals(1, PlatformSimulators.linkedin.posts.size());
    var document = PlatformSimulators.linkedin.posts.get(0).path("content").path("media");
    assertEquals("Launch deck", document.path("title").asText(), "a document post with its title");
    assertEquals(deck.length, PlatformSimulators.linkedin.uploadedBytes.get(document.path("id").asText()), "the PDF, read through its signed link");
    assertEquals(2, PlatformSimulators.bluesky.records.size(), "the post and its thread's reply");
    assertEquals(1, PlatformSimulators.bluesky.records.values().stream().filter(r -> r.has("reply")
        && "app.bsky.embed.images".equals(r.path("embed").path("$type").asText())).count(), "the reply with its picture");
    assertEquals(1, PlatformSimulators.mastodon.statuses.size());
    assertEquals(1, PlatformSimulators.tiktok.published.size());
    assertEquals(1, PlatformSimulators.youtube.videos.size());
    assertEquals("image/png", PlatformSimulators.youtube.thumbnails.get(PlatformSimulators.youtube.videos.get(0).path("id").asText()).get("type"),
        "the thumbnail, read through its signed link, set on the video");
    assertEquals(1, PlatformSimulators.youtube.captions.size());
    assertEquals(subtitles.length, PlatformSimulators.youtube.captions.get(0).get("bytes"), "the English captions, added to the video");
    assertEquals(1, PlatformSimulators.pinterest.pins.size());
    assertEquals(1, PlatformSimulators.google.posts.size());
    System.out.println("published on 11 platforms: " + post.getList("targets.permalink"));

    // Edited: the five platforms whose APIs can change a published post's text take the new text; the others keep theirs
    String text = "Launch day: live now";
    as(key).body(Map.of("text", text)).post("/v1/posts/" + postId + "/edit").then().statusCode(202)
        .body("status", org.hamcrest.Matchers.equalTo("editing"));
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
        assertEquals("published", as(key).get("/v1/posts/" + postId).then().extract().path("status")));
    JsonPath edited = as(key).get("/v1/posts/" + postId).then().extract().jsonPath();
    List<String> editable = List.of("facebook", "linkedin", "mastodon", "pinterest", "google_business");
    for (int i = 0; i < 11; i++) {
      boolean changed = editable.contains(edited.getString("targets[" + i + "].platform"));
      assertEquals(changed, edited.getString("targets[" + i + "].edited_at") != null, edited.prettify());
      if (changed) assertEquals(text, edited.getString("targets[" + i + "].text"), edited.prettify());
    }
    assertEquals(text, PlatformSimulators.facebook.posts.get(0).get("message"));
    assertEquals(text, PlatformSimulators.linkedin.posts.get(0).path("commentary").asText());
    assertEquals("<p>" + text + "</p>", PlatformSimulators.mastodon.statuses.get(0).path("content").asText());
    assertEquals(text, PlatformSimulators.pinterest.pins.get(0).path("description").asText());
    assertEquals(text, PlatformSimulators.google.posts.get(0).path("summary").asText());

    // Unpublished again: Instagram and TikTok have no delete, so the whole post is refused, naming them
    String refused = as(key).post("/v1/posts/" + postId + "/unpublish").then().statusCode(400).extract().asString();
    assertTrue(refused.contains("\"targets[0]\"") && refused.contains("\"targets[7]\"") && refused.contains("unpublish_not_supported"), refused);
    List<String> deletable = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      if (!List.of("instagram", "tiktok").contains(post.getString("targets[" + i + "].platform"))) deletable.add(post.getString("targets[" + i + "].id"));
    }
    as(key).body(Map.of("target_ids", deletable)).post("/v1/posts/" + postId + "/unpublish").then().statusCode(202)
        .body("status", org.hamcrest.Matchers.equalTo("unpublishing"));
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
        assertEquals("partial", as(key).get("/v1/posts/" + postId).then().extract().path("status")));
    JsonPath after = as(key).get("/v1/posts/" + postId).then().extract().jsonPath();
    for (int i = 0; i < 11; i++) {
      boolean kept = List.of("instagram", "tiktok").contains(after.getString("targets[" + i + "].platform"));
      assertEquals(kept ? "published" : "unpublished", after.getString("targets[" + i + "].status"), after.prettify());
    }
    assertEquals(List.of(PlatformSimulators.facebook.posts.get(0).get("id")), PlatformSimulators.facebook.deleted);
    assertEquals(List.of(PlatformSimulators.threads.published.get(0).get("id")), PlatformSimulators.threads.deleted);
    assertEquals(List.of(PlatformSimulators.x.tweets.get(0).path("id").asText()), PlatformSimulators.x.deleted);
    assertEquals(List.of(PlatformSimulators.linkedin.posts.get(0).path("id").asText()), PlatformSimulators.linkedin.deleted);
    assertEquals(2, PlatformSimulators.bluesky.deleted.size(), "the reply and the post");
    assertTrue(PlatformSimulators.bluesky.records.isEmpty());
    assertEquals(List.of(PlatformSimulators.mastodon.statuses.get(0).path("id").asText()), PlatformSimulators.mastodon.deleted);
    assertEquals(List.of(PlatformSimulators.youtube.videos.get(0).path("id").asText()), PlatformSimulators.youtube.deleted);
    assertEquals(List.of(PlatformSimulators.pinterest.pins.get(0).path("id").asText()), PlatformSimulators.pinterest.deleted);
    assertEquals(List.of(PlatformSimulators.google.posts.get(0).path("name").asText()), PlatformSimulators.google.deleted);
    assertEquals(0, PlatformSimulators.instagram.deleted.size());
  }

  @Test
  void aThreadStoppedAtAReplyNamesItsLivePostAndARetryFinishesIt() {
    PlatformSimulators.bluesky.reset();
    String key = as(RunningServices.ADMIN_KEY).body(Map.of("name", "Half a thread")).post("/v1/workspaces").then().statusCode(201)
        .extract().path("api_key");
    String bluesky = connect(key, "bluesky", BlueskySimulator.DID, BlueskySimulator.APP_PASSWORD,
        Map.of("pds_url", PlatformSimulators.bluesky.baseUrl()));
    PlatformSimulators.bluesky.failOnText("3/3 refused", "invalid_record");
    String postId = as(key).body(Map.of("text", "1/3 a thread", "account_ids", List.of(bluesky), "publish_now", true,
            "platform_options", Map.of("bluesky", Map.of("thread", List.of("2/3 out", "3/3 refused")))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
        assertEquals("failed", as(key).get("/v1/posts/" + postId).then().extract().path("status")));
    JsonPath failed = as(key).get("/v1/posts/" + postId).then().statusCode(200).extract().jsonPath();
    String live = failed.getString("targets[0].platform_post_id");
    assertTrue(live != null && live.startsWith("at://"), "the failed target names the post that is out: " + failed.prettify());
    assertTrue(failed.getString("targets[0].permalink").startsWith("https://bsky.app/"), failed.prettify());
    assertTrue(failed.getString("targets[0].error.message").startsWith("the thread stopped at reply 2 of 2"), failed.prettify());
    assertEquals(2, PlatformSimulators.bluesky.records.size(), "the post and its first reply");

    // POST /retry: the thread goes on after the reply that is out; the target names the same post throughout
    as(key).post("/v1/posts/" + postId + "/retry").then().statusCode(202);
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
        assertEquals("published", as(key).get("/v1/posts/" + postId).then().extract().path("status")));
    assertEquals(live, as(key).get("/v1/posts/" + postId).then().extract().path("targets[0].platform_post_id"));
    assertEquals(3, PlatformSimulators.bluesky.records.size(), "the post and both replies, none twice");
  }
}
