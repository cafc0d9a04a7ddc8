package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.testsupport.platforms.GoogleBusinessSimulator;
import dev.postflow.testsupport.platforms.PinterestSimulator;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.platforms.TikTokSimulator;
import dev.postflow.testsupport.platforms.YouTubeSimulator;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pinterest, Google Business Profile, TikTok and YouTube against their protocol simulators. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class MorePublishersTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  MediaRef jpeg;
  MediaRef video;

  @BeforeEach
  void setUp() {
    List.of(Simulators.pinterest, Simulators.google, Simulators.tiktok, Simulators.youtube).forEach(s -> s.reset());
    jpeg = Simulators.media.add("med_more_jpg", MediaFiles.jpeg(1000, 1500), "image/jpeg", 1000, 1500, null, "a tall picture");
    video = Simulators.media.add("med_more_mp4", MediaFiles.mp4(1080, 1920, 15000), "video/mp4", 1080, 1920, 15000L, null);
  }

  @Test
  void pinterestPinsImagesCarouselsAndVideoAndFindsALostPinByItsNote() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "pinterest", "pinuser", PinterestSimulator.TOKEN, Map.of());
    PinterestSimulator sim = Simulators.pinterest;
    Map<String, Object> board = Map.of("board_id", PinterestSimulator.BOARD, "title", "A pin", "link", "https://example.com/p");
    PublishResult image = publish(publisher, request("pinterest", account, "description", List.of(jpeg), board));
    assertEquals(PublishResult.Outcome.published, image.outcome(), () -> String.valueOf(image.error()));
    assertEquals("image_url", sim.pins.get(0).path("media_source").path("source_type").asText());
    assertEquals(jpeg.url(), sim.pins.get(0).path("media_source").path("url").asText());

    MediaRef second = Simulators.media.add("med_more_jpg2", MediaFiles.jpeg(1000, 1500), "image/jpeg", 1000, 1500, null, null);
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("pinterest", account, "carousel", List.of(jpeg, second), board)).outcome());
    PublishResult pinnedVideo = publish(publisher, request("pinterest", account, "video", List.of(video), board));
    assertEquals(PublishResult.Outcome.published, pinnedVideo.outcome(), () -> String.valueOf(pinnedVideo.error()));
    assertEquals("video_id", sim.pins.get(2).path("media_source").path("source_type").asText());

    sim.failNext("/v5/pins", "lose_answer");
    PublishResult lost = publish(publisher, request("pinterest", account, "lost", List.of(jpeg), board));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertEquals(4, sim.pins.size());

    sim.failNext("/v5/pins", "rate_limited");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("pinterest", account, "after 429", List.of(jpeg), board)).outcome());
    PublishResult noBoard = publish(publisher, request("pinterest", account, "x", List.of(jpeg), Map.of("board_id", "1")));
    assertEquals("board_not_found", noBoard.error().code());
    PublishResult inSection = publish(publisher, request("pinterest", account, "in a section", List.of(jpeg),
        Map.of("board_id", PinterestSimulator.BOARD, "board_section_id", PinterestSimulator.SECTION)));
    assertEquals(PublishResult.Outcome.published, inSection.outcome(), () -> String.valueOf(inSection.error()));
    assertEquals(PinterestSimulator.SECTION, sim.pins.get(sim.pins.size() - 1).path("board_section_id").asText());
    PublishResult noSection = publish(publisher, request("pinterest", account, "x", List.of(jpeg),
        Map.of("board_id", PinterestSimulator.BOARD, "board_section_id", "1")));
    assertEquals("board_section_not_found", noSection.error().code());
    sim.failNext("/v5/pins", "expired_token");
    assertEquals("auth", publish(publisher, request("pinterest", account, "x", List.of(jpeg), board)).error().category());
  }

  @Test
  void googleBusinessPostsAndReportsPolicyRejections() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "google_business", GoogleBusinessSimulator.LOCATION, GoogleBusinessSimulator.TOKEN, Map.of());
    GoogleBusinessSimulator sim = Simulators.google;
    PublishResult post = publish(publisher, request("google_business", account, "Open late on Fridays", List.of(jpeg),
        Map.of("topic_type", "STANDARD", "call_to_action", "LEARN_MORE", "call_to_action_url", "https://example.com")));
    assertEquals(PublishResult.Outcome.published, post.outcome(), () -> String.valueOf(post.error()));
    assertEquals("LEARN_MORE", sim.posts.get(0).path("callToAction").path("actionType").asText());
    assertEquals(jpeg.url(), sim.posts.get(0).path("media").get(0).path("sourceUrl").asText());

    PublishResult rejected = publish(publisher, request("google_business", account, "Call us at 555-123-4567", List.of(), Map.of()));
    assertEquals("content_rejected", rejected.error().code());
    assertEquals("REJECTED", rejected.error().providerCode());

    sim.failNext("/localPosts", "lose_answer");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("google_business", account, "lost answer", List.of(), Map.of())).outcome());
    sim.failNext("/localPosts", "rate_limited");
    sim.failNext("/localPosts", "server_error");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("google_business", account, "after 429 and 503", List.of(), Map.of())).outcome());
    assertEquals(4, sim.posts.size());
    sim.failNext("/localPosts", "expired_token");
    assertEquals("auth", publish(publisher, request("google_business", account, "expired", List.of(), Map.of())).error().category());

    // an event with its times (the location's own), and an offer whose event is its validity, by whole days
    PublishResult event = publish(publisher, request("google_business", account, "Tasting night", List.of(), Map.of("topic_type", "EVENT",
        "event_title", "Tasting night", "event_start", "2026-12-24T18:00", "event_end", "2026-12-24T22:30")));
    assertEquals(PublishResult.Outcome.published, event.outcome(), () -> String.valueOf(event.error()));
    JsonNode schedule = sim.posts.get(4).path("event").path("schedule");
    assertEquals("Tasting night", sim.posts.get(4).path("event").path("title").asText());
    assertEquals(2026, schedule.path("startDate").path("year").asInt());
    assertEquals(24, schedule.path("endDate").path("day").asInt());
    assertEquals(18, schedule.path("startTime").path("hours").asInt());
    assertEquals(30, schedule.path("endTime").path("minutes").asInt());
    PublishResult offer = publish(publisher, request("google_business", account, "20% off all winter", List.of(), Map.of("topic_type", "OFFER",
        "event_title", "Winter sale", "event_start", "2026-12-26", "event_end", "2027-01-06", "offer_coupon_code", "WINTER20",
        "offer_redeem_url", "https://example.com/winter")));
    assertEquals(PublishResult.Outcome.published, offer.outcome(), () -> String.valueOf(offer.error()));
    JsonNode sent = sim.posts.get(5);
    assertEquals("WINTER20", sent.path("offer").path("couponCode").asText());
    assertEquals("https://example.com/winter", sent.path("offer").path("redeemOnlineUrl").asText());
    assertEquals(1, sent.path("event").path("schedule").path("endDate").path("month").asInt());
    assertTrue(sent.path("event").path("schedule").path("startTime").isMissingNode(), "a whole day has no time");
  }

  @Test
  void tiktokChecksTheCreatorPullsAndPollsAndNeverReinitialisesAPublishId() throws Exception {
    // as OAuth connects it: open_id as external id, the username as handle
    String account = PlatformTestAccounts.insert(cipher, "tiktok", TikTokSimulator.OPEN_ID, "@tester", TikTokSimulator.TOKEN, Map.of());
    TikTokSimulator sim = Simulators.tiktok;
    PublishResult result = publish(publisher, request("tiktok", account, "#fyp a video", List.of(video), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals("SELF_ONLY", sim.published.get(0).path("post_info").path("privacy_level").asText());
    assertTrue(sim.published.get(0).path("post_info").path("disable_stitch").asBoolean(), "the creator switched stitches off in the app");
    assertFalse(sim.published.get(0).path("post_info").path("disable_duet").asBoolean());
    assertFalse(sim.published.get(0).path("post_info").path("is_aigc").asBoolean());
    assertTrue(result.permalink().startsWith("https://www.tiktok.com/@tester/video/"));

    PublishResult photos = publish(publisher, request("tiktok", account, "photos", List.of(jpeg, jpeg), Map.of("privacy_level", "PUBLIC_TO_EVERYONE")));
    assertEquals(PublishResult.Outcome.published, photos.outcome(), () -> String.valueOf(photos.error()));
    assertEquals("PHOTO", sim.published.get(1).path("media_type").asText());

    PublishResult mismatch = publish(publisher, request("tiktok", account, "x", List.of(video), Map.of("privacy_level", "FOLLOWER_OF_CREATOR")));
    assertEquals("privacy_level_option_mismatch", mismatch.error().code());

    sim.failNext("/video/init/", "pull_failed");
    PublishResult pulledAgain = publish(publisher, request("tiktok", account, "pull failed once", List.of(video), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(PublishResult.Outcome.published, pulledAgain.outcome(), () -> String.valueOf(pulledAgain.error()));

    sim.failNext("/video/init/", "lose_answer");
    PublishResult lost = publish(publisher, request("tiktok", account, "lost init answer", List.of(video), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(PublishResult.Outcome.unconfirmed, lost.outcome(), "no publish_id came back: never init again blindly");

    sim.failNext("/video/init/", "too_many_posts");
    assertEquals("quota_exhausted", publish(publisher, request("tiktok", account, "cap", List.of(video), Map.of("privacy_level", "SELF_ONLY"))).error().code());
    sim.failNext("/video/init/", "expired_token");
    assertEquals("auth", publish(publisher, request("tiktok", account, "x", List.of(video), Map.of("privacy_level", "SELF_ONLY"))).error().category());

    // disclosures go with the post: AI-generated, the creator's own brand
    PublishResult disclosed = publish(publisher, request("tiktok", account, "made with AI", List.of(video),
        Map.of("privacy_level", "PUBLIC_TO_EVERYONE", "is_aigc", true, "brand_organic_toggle", true)));
    assertEquals(PublishResult.Outcome.published, disclosed.outcome(), () -> String.valueOf(disclosed.error()));
    JsonNode info = sim.published.get(sim.published.size() - 1).path("post_info");
    assertTrue(info.path("is_aigc").asBoolean() && info.path("brand_organic_toggle").asBoolean() && !info.path("brand_content_toggle").asBoolean());
  }

  @Test
  void tiktokMediaUploadSendsThePostToTheCreatorsInboxUntilFiveArePending() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "tiktok", TikTokSimulator.OPEN_ID, "@tester", TikTokSimulator.TOKEN, Map.of());
    TikTokSimulator sim = Simulators.tiktok;
    Map<String, Object> inbox = Map.of("post_mode", "MEDIA_UPLOAD");
    PublishResult video = publish(publisher, request("tiktok", account, "a caption TikTok's inbox upload cannot take", List.of(this.video), inbox));
    assertEquals(PublishResult.Outcome.published, video.outcome(), () -> String.valueOf(video.error()));
    assertEquals(1, sim.inbox.size());
    assertEquals(0, sim.published.size(), "nothing is on the profile: the creator finishes the post in the app");
    assertEquals(sim.inbox.get(0).path("publish_id").asText(), video.platformPostId());
    assertEquals(null, video.permalink(), "a post in the inbox has no public page");
    assertEquals(1, sim.calls("POST", "/v2/post/publish/inbox/video/init/").size());
    assertTrue(sim.inbox.get(0).path("post_info").isMissingNode(), "the inbox video endpoint takes the source only");
    assertEquals(this.video.url(), sim.inbox.get(0).path("source_info").path("video_url").asText());
    assertEquals(0, sim.calls("POST", "/creator_info/query/").size(), "creator_info belongs to Direct Post");

    PublishResult photos = publish(publisher, request("tiktok", account, "photos to finish later", List.of(jpeg, jpeg), inbox));
    assertEquals(PublishResult.Outcome.published, photos.outcome(), () -> String.valueOf(photos.error()));
    JsonNode photoInit = sim.inbox.get(1);
    assertEquals("MEDIA_UPLOAD", photoInit.path("post_mode").asText());
    assertEquals("PHOTO", photoInit.path("media_type").asText());
    assertEquals("photos to finish later", photoInit.path("post_info").path("description").asText());
    assertTrue(photoInit.path("post_info").path("privacy_level").isMissingNode());

    for (int i = 3; i <= TikTokSimulator.MAX_PENDING_SHARES; i++) {
      assertEquals(PublishResult.Outcome.published, publish(publisher, request("tiktok", account, "draft " + i, List.of(this.video), inbox)).outcome());
    }
    PublishResult sixth = publish(publisher, request("tiktok", account, "one too many", List.of(this.video), inbox));
    assertEquals(PublishResult.Outcome.failed, sixth.outcome());
    assertEquals("quota_exhausted", sixth.error().code());
    assertEquals("spam_risk_too_many_pending_share", sixth.error().providerCode());
    assertTrue(sixth.error().action().contains("inbox"), sixth.error().action());
    assertEquals(TikTokSimulator.MAX_PENDING_SHARES, sim.inbox.size());
  }

  @Test
  void youtubeResumesAnInterruptedUploadFromTheStoredSession() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of());
    YouTubeSimulator sim = Simulators.youtube;
    Map<String, Object> options = Map.of("title", "Launch video", "privacy", "unlisted");
    PublishResult result = publish(publisher, request("youtube", account, "Description", List.of(video), options));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals("Launch video", sim.videos.get(0).path("snippet").path("title").asText());
    assertEquals("unlisted", sim.videos.get(0).path("status").path("privacyStatus").asText());
    assertEquals("https://www.youtube.com/watch?v=" + sim.videos.get(0).path("id").asText(), result.permalink());

    sim.failNext("/sessions/", "interrupt");
    PublishRequest interrupted = request("youtube", account, "Interrupted", List.of(video), options);
    PublishResult resumed = publish(publisher, interrupted);
    assertEquals(PublishResult.Outcome.published, resumed.outcome(), () -> String.valueOf(resumed.error()));
    assertEquals(2, sim.videos.size(), "one video per post, the interrupted one resumed rather than restarted");
    assertEquals(video.sizeBytes(), sim.videos.get(1).path("bytes").asLong());
    assertEquals(1, sim.calls("POST", "/upload/youtube").stream().filter(c -> c.text().contains("Interrupted")).count());

    PublishResult again = publish(publisher, PlatformTestAccounts.nextAttempt(interrupted));
    assertEquals(resumed.platformPostId(), again.platformPostId(), "a retry asks the finished session: the same video");
    assertEquals(2, sim.videos.size());

    sim.failNext("/upload/youtube", "quota_exceeded");
    PublishResult quota = publish(publisher, request("youtube", account, "quota", List.of(video), options));
    assertEquals("quota_exhausted", quota.error().code());
    assertEquals(false, quota.error().retryable());
  }

  @Test
  void aYoutubeFirstCommentGoesUnderTheVideoOnce() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of());
    YouTubeSimulator sim = Simulators.youtube;
    Map<String, Object> options = Map.of("title", "Launch video", "privacy", "public", "first_comment", "Chapters: 0:00 intro");
    PublishResult result = publish(publisher, request("youtube", account, "Description", List.of(video), options));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.comments.size());
    assertTrue(sim.comments.get(0).toString().contains("videoId=" + result.platformPostId()), sim.comments.get(0).toString());

    // refused (comments disabled), then POST /retry: the finished upload session names the same video; only the comment is sent
    sim.failOnText("second", "comment_refused");
    PublishRequest request = request("youtube", account, "Second", List.of(video), Map.of("title", "Second", "privacy", "public",
        "first_comment", "the second comment"));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the post is published, but its first comment was refused"), failed.error().message());
    assertTrue(failed.error().message().contains("disabled comments"), failed.error().message());
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(2, sim.videos.size(), "the video is not uploaded again");
    assertEquals(2, sim.comments.size());

    // the comment's answer is lost after it landed: found with commentThreads.list, not sent again
    sim.failOnText("third", "comment_lost");
    PublishResult lost = publish(publisher, request("youtube", account, "Third", List.of(video), Map.of("title", "Third", "privacy", "public",
        "first_comment", "the third comment")));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertEquals(3, sim.comments.size());
    assertEquals(4, sim.calls("POST", "/youtube/v3/commentThreads").size(), "one call per comment, and one for the refused one");

    // cut before it lands while a viewer writes the same text: theirs is not taken for ours; a retry sends ours
    sim.failOnText("fourth", "comment_cut_copied");
    PublishRequest fourth = request("youtube", account, "Fourth", List.of(video), Map.of("title", "Fourth", "privacy", "public",
        "first_comment", "the fourth comment"));
    assertEquals(PublishResult.Outcome.unconfirmed, publish(publisher, fourth).outcome());
    PublishResult added = publish(publisher, PlatformTestAccounts.nextAttempt(fourth));
    assertEquals(PublishResult.Outcome.published, added.outcome(), () -> String.valueOf(added.error()));
    assertEquals(List.of("UCviewer", YouTubeSimulator.CHANNEL_ID), sim.comments.stream().skip(3).map(c -> c.toString().contains("UCviewer")
        ? "UCviewer" : YouTubeSimulator.CHANNEL_ID).toList(), "the viewer's comment, then the channel's own");
    assertEquals(4, sim.videos.size(), "the video is not uploaded again");
  }

  @Test
  void aYoutubeThumbnailIsSetOnTheUploadedVideoAndARefusalIsRetriedWithoutUploadingAgain() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of());
    YouTubeSimulator sim = Simulators.youtube;
    MediaRef thumbnail = Simulators.media.add("med_thumb", MediaFiles.png(1280, 720), "image/png", 1280, 720, null, null);
    Map<String, Object> options = Map.of("title", "With a thumbnail", "privacy", "public", "thumbnail", "med_thumb");
    PublishResult result = publish(publisher, request("youtube", account, "Description", List.of(video), options, Map.of("med_thumb", thumbnail)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(Map.of("type", "image/png", "bytes", MediaFiles.png(1280, 720).length), sim.thumbnails.get(result.platformPostId()));

    // a channel that may not set custom thumbnails: the video is out, the target says so and what to do
    sim.failNext("/thumbnails/set", "not_verified");
    PublishRequest request = request("youtube", account, "Second", List.of(video), Map.of("title", "Second", "privacy", "public",
        "thumbnail", "med_thumb"), Map.of("med_thumb", thumbnail));
    PublishResult refused = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, refused.outcome());
    assertEquals("permission", refused.error().category());
    assertTrue(refused.error().message().startsWith("the video is published, but its thumbnail was refused"), refused.error().message());
    assertEquals(sim.videos.get(1).path("id").asText(), refused.platformPostId(), "the failure names the video that is out");
    assertTrue(refused.error().action().contains("verified channel"), refused.error().action());
    assertEquals(2, sim.videos.size());
    assertEquals(1, sim.thumbnails.size());

    // POST /retry once the channel is verified: the finished upload session names the same video; only the thumbnail is sent
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(2, sim.videos.size(), "the video is not uploaded again");
    assertEquals(2, sim.thumbnails.size());
    // and a later retry of the same target does not set it a third time
    assertEquals(PublishResult.Outcome.published, publish(publisher, PlatformTestAccounts.nextAttempt(PlatformTestAccounts.nextAttempt(request))).outcome());
    assertEquals(3, sim.calls("POST", "/thumbnails/set").size());
  }

  @Test
  void youtubeCaptionTracksAreAddedOncePerLanguageEvenAfterALostAnswer() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of());
    YouTubeSimulator sim = Simulators.youtube;
    byte[] englishBytes = MediaFiles.vtt("Hello", 4);
    MediaRef english = Simulators.media.add("med_yt_en", englishBytes, "text/vtt", null, null, null, null);
    MediaRef french = Simulators.media.add("med_yt_fr", MediaFiles.vtt("Bonjour", 4), "text/vtt", null, null, null, null);
    Map<String, MediaRef> files = Map.of("med_yt_en", english, "med_yt_fr", french);
    List<Map<String, String>> both = List.of(Map.of("lang", "en", "media_id", "med_yt_en"), Map.of("lang", "fr", "media_id", "med_yt_fr"));
    PublishResult result = publish(publisher, request("youtube", account, "Description", List.of(video),
        Map.of("title", "Captioned", "privacy", "public", "captions", both), files));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(2, sim.captions.size());
    Map<?, ?> snippet = (Map<?, ?>) sim.captions.get(0).get("snippet");
    assertEquals(result.platformPostId(), snippet.get("videoId"));
    assertEquals("en", snippet.get("language"));
    assertEquals("fr", ((Map<?, ?>) sim.captions.get(1).get("snippet")).get("language"));
    assertEquals(englishBytes.length, sim.captions.get(0).get("bytes"), "the file itself, after the caption resource");

    // the French track is refused: the video is out, the target says so; a retry adds only the French track
    sim.failNext("/captions", "caption_refused");
    PublishRequest second = request("youtube", account, "Second", List.of(video), Map.of("title", "Second", "privacy", "public",
        "captions", List.of(Map.of("lang", "fr", "media_id", "med_yt_fr"))), files);
    PublishResult refused = publish(publisher, second);
    assertEquals(PublishResult.Outcome.failed, refused.outcome());
    assertTrue(refused.error().message().startsWith("the video is published, but its fr captions were refused (a retry adds the captions"),
        refused.error().message());
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(second));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(2, sim.videos.size(), "the video is not uploaded again");
    assertEquals(3, sim.captions.size());

    // the track lands but its answer is lost: the retry finds it among the video's tracks and adds no second one
    sim.failNext("/captions", "caption_lost");
    PublishRequest third = request("youtube", account, "Third", List.of(video), Map.of("title", "Third", "privacy", "public",
        "captions", List.of(Map.of("lang", "en", "media_id", "med_yt_en"))), files);
    PublishResult lost = publish(publisher, third);
    assertTrue(lost.outcome() != PublishResult.Outcome.published || sim.captions.size() == 4, lost::toString);
    PublishResult after = publish(publisher, PlatformTestAccounts.nextAttempt(third));
    assertEquals(PublishResult.Outcome.published, after.outcome(), () -> String.valueOf(after.error()));
    assertEquals(4, sim.captions.size(), "one English track on the third video, not two");
    assertEquals(5, sim.calls("POST", "/upload/youtube/v3/captions").size(), "four tracks and the refused one");
  }

  @Test
  void aPrivateYoutubeVideoWithPublishAtIsMadePublicByYoutubeAtThatTime() throws Exception {
    String account = PlatformTestAccounts.insert(cipher, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of());
    YouTubeSimulator sim = Simulators.youtube;
    String at = java.time.Instant.now().plus(java.time.Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    PublishResult result = publish(publisher, request("youtube", account, "Premieres Friday", List.of(video),
        Map.of("title", "Friday's video", "privacy", "private", "publish_at", at)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(at, sim.videos.get(0).path("status").path("publishAt").asText());
    assertTrue(sim.videos.get(0).path("status").path("containsSyntheticMedia").isMissingNode(), "not said unless asked");
    assertEquals("private", sim.videos.get(0).path("status").path("privacyStatus").asText());

    // a time already past when the upload starts: YouTube's refusal, named
    PublishResult past = publish(publisher, request("youtube", account, "Too late", List.of(video),
        Map.of("title", "Late", "privacy", "private", "publish_at", "2020-01-01T00:00:00Z")));
    assertEquals(PublishResult.Outcome.failed, past.outcome());
    assertEquals("invalidPublishAt", past.error().providerCode());
    assertEquals(1, sim.videos.size());
  }
}
