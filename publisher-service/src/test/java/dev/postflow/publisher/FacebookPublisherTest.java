package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.testsupport.platforms.FacebookSimulator;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class FacebookPublisherTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  final FacebookSimulator sim = Simulators.facebook;
  String page;

  @BeforeEach
  void setUp() throws Exception {
    sim.reset();
    page = PlatformTestAccounts.insert(cipher, "facebook", "104000000000001", FacebookSimulator.TOKEN, Map.of());
  }

  @Test
  void textPhotosAndVideo() {
    PublishResult text = publish(publisher, request("facebook", page, "Hello Page", List.of(), Map.of("link", "https://example.com")));
    assertEquals(PublishResult.Outcome.published, text.outcome(), () -> String.valueOf(text.error()));
    assertTrue(text.platformPostId().startsWith("104000000000001_"));

    MediaRef a = Simulators.media.add("med_fb1", MediaFiles.jpeg(800, 600), "image/jpeg", 800, 600, null, null);
    MediaRef b = Simulators.media.add("med_fb2", MediaFiles.png(800, 600), "image/png", 800, 600, null, null);
    PublishResult photos = publish(publisher, request("facebook", page, "Two photos", List.of(a, b), Map.of()));
    assertEquals(PublishResult.Outcome.published, photos.outcome(), () -> String.valueOf(photos.error()));
    assertTrue(sim.posts.get(1).get("attached_media").contains("media_fbid"));

    MediaRef video = Simulators.media.add("med_fb3", MediaFiles.mp4(1280, 720, 10000), "video/mp4", 1280, 720, 10000L, null);
    PublishResult withVideo = publish(publisher, request("facebook", page, "A video", List.of(video), Map.of()));
    assertEquals(PublishResult.Outcome.published, withVideo.outcome(), () -> String.valueOf(withVideo.error()));
    assertEquals("videos", sim.posts.get(2).get("kind"));
  }

  @Test
  void aReelGoesThroughStartUploadFinishAndARetryAsksTheStoredVideo() {
    MediaRef vertical = Simulators.media.add("med_fb_reel", MediaFiles.mp4(1080, 1920, 20_000), "video/mp4", 1080, 1920, 20_000L, null);
    PublishRequest request = request("facebook", page, "A reel", List.of(vertical), Map.of("video_type", "REELS"));
    PublishResult reel = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, reel.outcome(), () -> String.valueOf(reel.error()));
    assertEquals("reel", sim.posts.get(0).get("kind"));
    assertEquals("OAuth " + FacebookSimulator.TOKEN, sim.calls("POST", "/video-upload/").get(0).header("Authorization"));
    assertEquals(vertical.url(), sim.calls("POST", "/video-upload/").get(0).header("file_url"));

    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(reel.platformPostId(), retried.platformPostId(), "the stored video id answered: no second reel");
    assertEquals(1, sim.posts.size());

    MediaRef tooLong = Simulators.media.add("med_fb_reel2", MediaFiles.mp4(1080, 1920, 120_000), "video/mp4", 1080, 1920, 120_000L, null);
    assertEquals("video_duration", publish(publisher, request("facebook", page, "long", List.of(tooLong), Map.of("video_type", "REELS"))).error().code());
  }

  @Test
  void aLargeReelIsSentAsBytesAndAnUploadThatFailedIsHandedOverAgainOnTheRetry() {
    // %test: reels from 64 KB are sent by us (50 MB by default)
    byte[] large = MediaFiles.mp4(1080, 1920, 20_000, 150_000);
    MediaRef vertical = Simulators.media.add("med_fb_reel_large", large, "video/mp4", 1080, 1920, 20_000L, null);
    sim.failNext("/video-upload/", "server_error");
    PublishRequest request = request("facebook", page, "A large reel", List.of(vertical), Map.of("video_type", "REELS"));
    PublishResult first = publish(publisher, request);
    PublishResult reel = first.outcome() == PublishResult.Outcome.published ? first : publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, reel.outcome(), () -> String.valueOf(reel.error()));
    var uploads = sim.calls("POST", "/video-upload/");
    assertEquals(2, uploads.size(), "the failed upload, then the same video id's upload again");
    assertEquals(uploads.get(0).path(), uploads.get(1).path(), "one video id: no second reel started");
    assertEquals(null, uploads.get(1).header("file_url"), "the bytes, not a link for Meta to fetch");
    assertEquals(String.valueOf(large.length), uploads.get(1).header("file_size"));
    assertEquals("0", uploads.get(1).header("offset"));
    assertEquals(1, sim.calls("POST", "/video_reels").stream().filter(call -> call.text().contains("start")).count());
    assertEquals(1, sim.posts.size());
  }

  @Test
  void lostAnswersAndDuplicatesAreReconciledFromThePageFeed() {
    sim.failNext("/feed", "lose_answer");
    PublishRequest request = request("facebook", page, "lost answer", List.of(), Map.of());
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), "506 duplicate, but the post is ours: published");
    assertEquals(1, sim.posts.size());
  }

  @Test
  void failuresMapToTheTaxonomy() {
    sim.failNext("/feed", "rate_limited");
    sim.failNext("/feed", "server_error");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("facebook", page, "after throttling", List.of(), Map.of())).outcome());
    sim.failNext("/feed", "expired_token");
    assertEquals("auth", publish(publisher, request("facebook", page, "expired", List.of(), Map.of())).error().category());
    MediaRef gone = new MediaRef("med_gone", "image/jpeg", 10, 1, 1, null, Simulators.media.baseUrl() + "/media/med_gone?signature=bad", null);
    PublishResult invalid = publish(publisher, request("facebook", page, "bad photo", List.of(gone), Map.of()));
    assertEquals("content", invalid.error().category());
  }

  @Test
  void aFirstCommentGoesUnderThePostAndARetryAddsOnlyTheComment() {
    PublishResult result = publish(publisher, request("facebook", page, "New menu today", List.of(), Map.of("first_comment", "Full menu: https://example.com/menu")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.comments.comments.size());
    assertEquals(result.platformPostId(), sim.comments.comments.get(0).get("object"));
    assertEquals("Full menu: https://example.com/menu", sim.comments.comments.get(0).get("text"));

    // refused: the target fails, saying the post is out; POST /retry adds the comment, not a second post
    sim.failOnText("second comment", "comment_refused");
    PublishRequest request = request("facebook", page, "Another day", List.of(), Map.of("first_comment", "the second comment"));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the post is published, but its first comment was refused (a retry adds the comment, not the post)"),
        failed.error().message());
    assertEquals(2, sim.posts.size());
    // another post in between, so the Page's own duplicate check (of its latest post only) would not catch a repeat
    publish(publisher, request("facebook", page, "Meanwhile, something else", List.of(), Map.of()));
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(3, sim.posts.size(), "the post is not made again");
    assertEquals(sim.posts.get(1).get("id"), retried.platformPostId());
    assertEquals(2, sim.comments.comments.size());

    // the comment's answer is lost after it landed: the lookup finds it among the post's comments, nothing is sent again
    sim.failOnText("third comment", "comment_lost");
    PublishResult lost = publish(publisher, request("facebook", page, "A third day", List.of(), Map.of("first_comment", "the third comment")));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertEquals(3, sim.comments.comments.size());
    assertEquals(4, sim.calls("POST", "/comments").size(), "one call per comment, and one for the refused one");
  }
}
