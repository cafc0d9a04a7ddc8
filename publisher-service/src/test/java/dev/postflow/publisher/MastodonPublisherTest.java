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
import dev.postflow.testsupport.platforms.MastodonSimulator;
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
class MastodonPublisherTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  final MastodonSimulator sim = Simulators.mastodon;
  String account;

  @BeforeEach
  void setUp() throws Exception {
    sim.reset();
    account = PlatformTestAccounts.insert(cipher, "mastodon", "109", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
  }


  @Test
  void aPollGoesOutWithItsChoicesAndExpiry() {
    PublishResult result = publish(publisher, request("mastodon", account, "Tea or coffee?", List.of(), Map.of("poll", "Tea|Coffee", "poll_expires_in", "3600")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    var poll = sim.statuses.get(sim.statuses.size() - 1).path("poll");
    assertEquals("Coffee", poll.path("options").get(1).asText());
    assertEquals(3600, poll.path("expires_in").asInt());
  }
  @Test
  void publishesWithMediaThatNeedsProcessingAndTheIdempotencyKey() {
    MediaRef image = Simulators.media.add("med_img1", MediaFiles.png(64, 64), "image/png", 64, 64, null, "a dot");
    MediaRef image2 = Simulators.media.add("med_img1b", MediaFiles.jpeg(64, 64), "image/jpeg", 64, 64, null, null);
    PublishRequest request = request("mastodon", account, "Hello fediverse", List.of(image, image2), Map.of("visibility", "unlisted"));
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.statuses.size());
    assertEquals(2, sim.statuses.get(0).path("media_ids").size());
    var create = sim.calls("POST", "/api/v1/statuses").get(0);
    assertEquals("postflow-" + request.targetId(), create.header("Idempotency-Key"));
    assertEquals("unlisted", create.json().path("visibility").asText());
    assertTrue(sim.calls("POST", "/api/v2/media").get(0).text().contains("a dot"), "alt text sent as description");
    assertEquals(sim.statuses.get(0).path("url").asText(), result.permalink());

    // Mastodon takes images or one video, never both (the shared rules say so too)
    MediaRef video = Simulators.media.add("med_vid1", MediaFiles.mp4(640, 360, 4000), "video/mp4", 640, 360, 4000L, null);
    PublishResult withVideo = publish(publisher, request("mastodon", account, "A video", List.of(video), Map.of()));
    assertEquals(PublishResult.Outcome.published, withVideo.outcome(), () -> String.valueOf(withVideo.error()));
    assertTrue(sim.calls("GET", "/api/v1/media/").size() >= 3, "the video was polled until processed");
  }

  @Test
  void aThreadIsThePostAndEachReplyUnderTheOneBefore() {
    List<String> replies = List.of("2/3 the middle", "3/3 the end");
    PublishRequest request = request("mastodon", account, "1/3 a thread", List.of(), Map.of("thread", replies, "visibility", "unlisted"));
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(3, sim.statuses.size());
    assertEquals(sim.statuses.get(0).path("id").asText(), result.platformPostId(), "the target names the thread's first post");
    assertEquals(sim.statuses.get(0).path("id").asText(), sim.statuses.get(1).path("in_reply_to_id").asText());
    assertEquals(sim.statuses.get(1).path("id").asText(), sim.statuses.get(2).path("in_reply_to_id").asText());
    assertEquals("unlisted", sim.statuses.get(2).path("visibility").asText(), "replies keep the post's visibility");
    var creates = sim.calls("POST", "/api/v1/statuses");
    assertEquals("postflow-" + request.targetId() + "-2", creates.get(2).header("Idempotency-Key"), "each reply has its own key");
  }

  @Test
  void aReplyToSomeoneElsesStatusGoesUnderItWithItsThread() {
    sim.othersStatuses.add("109372843234");
    PublishResult result = publish(publisher, request("mastodon", account, "@someone good point", List.of(),
        Map.of("reply_to", "109372843234", "thread", List.of("and another"))));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals("109372843234", sim.statuses.get(0).path("in_reply_to_id").asText());
    assertEquals(sim.statuses.get(0).path("id").asText(), sim.statuses.get(1).path("in_reply_to_id").asText());

    PublishResult gone = publish(publisher, request("mastodon", account, "to nothing", List.of(), Map.of("reply_to", "404404")));
    assertEquals(PublishResult.Outcome.failed, gone.outcome());
    assertEquals(2, sim.statuses.size());
  }

  @Test
  void aThreadsReplyCarriesItsOwnImageUploadedOnce() {
    MediaRef picture = Simulators.media.add("med_masto_reply", MediaFiles.png(640, 480), "image/png", 640, 480, null, null);
    Map<String, Object> reply = Map.of("text", "2/2 and a picture", "media_ids", List.of(picture.id()));
    PublishRequest request = PlatformTestAccounts.request("mastodon", account, "1/2 a thread", List.of(), Map.of("thread", List.of(reply)),
        Map.of(picture.id(), picture));
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(2, sim.statuses.size());
    assertEquals(0, sim.statuses.get(0).path("media_ids").size());
    assertEquals(1, sim.statuses.get(1).path("media_ids").size());
    assertEquals(1, sim.calls("POST", "/api/v2/media").size());
    // a later attempt of the same target finds the reply out: nothing uploaded or posted again
    assertEquals(PublishResult.Outcome.published, publish(publisher, PlatformTestAccounts.nextAttempt(request)).outcome());
    assertEquals(2, sim.statuses.size());
    assertEquals(1, sim.calls("POST", "/api/v2/media").size());
  }

  @Test
  void aThreadCutShortContinuesWhereItStoppedAndNeverRepeatsAPost() throws Exception {
    List<String> replies = List.of("2/4 first reply", "3/4 second reply", "4/4 third reply");
    sim.failOnText("second reply", "invalid_status");
    PublishRequest request = request("mastodon", account, "1/4 a thread", List.of(), Map.of("thread", replies));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the thread stopped at reply 2 of 3 (the post and 1 reply are published"), failed.error().message());
    assertEquals(2, sim.statuses.size());

    // POST /retry over an hour later: the instance has forgotten every key, so the post and the first reply are known by
    // the ids kept when they went out, not by their keys; only what is missing is sent
    sim.forgetIdempotencyKeys();
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(4, sim.statuses.size(), "the post and three replies, none twice");
    assertEquals(sim.statuses.get(0).path("id").asText(), retried.platformPostId());
    assertEquals(sim.statuses.get(1).path("id").asText(), sim.statuses.get(2).path("in_reply_to_id").asText(), "the thread goes on under the first reply");

    // a later retry, over an hour after the first attempt (the post's key is older than Mastodon keeps it), whose last
    // reply's answer is lost: the lookup knows the post and the first replies by their kept ids, not by the old key
    sim.reset();
    sim.failOnText("a fourth reply", "invalid_status");
    List<String> four = List.of("2/4 one", "3/4 two", "4/4 a fourth reply");
    // each part on an account of its own: a thread of four uses this test's quota (4 posts an hour; a thread counts whole)
    String other = PlatformTestAccounts.insert(cipher, "mastodon", "110", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    PublishRequest late = request("mastodon", other, "1/4 a late thread", List.of(), Map.of("thread", four));
    assertEquals(PublishResult.Outcome.failed, publish(publisher, late).outcome());
    try (var connection = dev.postflow.testsupport.RealInfrastructure.jdbc();
         var age = connection.prepareStatement("update publisher.target_handle set value = ? where target_id = ? and name = 'idempotency_key_at'")) {
      age.setString(1, java.time.Instant.now().minus(java.time.Duration.ofHours(2)).toString());
      age.setString(2, late.targetId());
      assertEquals(1, age.executeUpdate());
    }
    sim.failOnText("a fourth reply", "lose_answer");
    PublishResult lateResult = publish(publisher, PlatformTestAccounts.nextAttempt(late));
    assertEquals(PublishResult.Outcome.published, lateResult.outcome(), () -> String.valueOf(lateResult.error()));
    assertEquals(4, sim.statuses.size());

    // a reply's answer lost: the lookup sends the same keys again; Mastodon answers with what landed
    sim.reset();
    sim.failOnText("third reply", "lose_answer");
    String third = PlatformTestAccounts.insert(cipher, "mastodon", "111", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    PublishResult reconciled = publish(publisher, request("mastodon", third, "1/4 another thread", List.of(), Map.of("thread", replies)));
    assertEquals(PublishResult.Outcome.published, reconciled.outcome(), () -> String.valueOf(reconciled.error()));
    assertEquals(4, sim.statuses.size());
  }

  @Test
  void aLostAnswerIsReconciledWithTheSameKeyAndNeverPostsTwice() {
    sim.failNext("/api/v1/statuses", "lose_answer");
    PublishResult result = publish(publisher, request("mastodon", account, "answer lost", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.statuses.size(), "one status although the create was sent twice");
    assertEquals(2, sim.calls("POST", "/api/v1/statuses").size());
  }

  @Test
  void rateLimitsWaitForTheResetAndServerErrorsAreRetried() {
    sim.failNext("/api/v1/statuses", "rate_limited");
    sim.failNext("/api/v1/statuses", "server_error");
    PublishResult result = publish(publisher, request("mastodon", account, "after a 429 and a 503", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.statuses.size());
  }

  @Test
  void failuresMapToTheTaxonomy() throws Exception {
    sim.failNext("/api/v1/statuses", "expired_token");
    PublishResult expired = publish(publisher, request("mastodon", account, "token", List.of(), Map.of()));
    assertEquals("auth", expired.error().category());
    assertEquals(false, expired.error().retryable());

    PublishResult tooLong = publish(publisher, request("mastodon", account, "x".repeat(501), List.of(), Map.of()));
    assertEquals("content", tooLong.error().category());
    assertTrue(tooLong.error().message().contains("500"), tooLong.error().message());

    sim.failNext("/api/v2/media", "media_rejected");
    MediaRef image = Simulators.media.add("med_img2", MediaFiles.png(8, 8), "image/png", 8, 8, null, null);
    PublishResult rejected = publish(publisher, request("mastodon", account, "bad media", List.of(image), Map.of()));
    assertEquals("content", rejected.error().category());

    sim.failNext("/api/v2/media", "stuck_processing");
    MediaRef video = Simulators.media.add("med_vid2", MediaFiles.mp4(64, 64, 1000), "video/mp4", 64, 64, 1000L, null);
    PublishResult stuck = publish(publisher, request("mastodon", account, "stuck", List.of(video), Map.of()));
    assertEquals("media_invalid", stuck.error().code());
    assertEquals(0, sim.statuses.size(), "nothing was posted by any of these");

    String unsafe = PlatformTestAccounts.insert(cipher, "mastodon", "110", MastodonSimulator.TOKEN, Map.of("instance_url", "http://10.1.2.3"));
    PublishResult refused = publish(publisher, request("mastodon", unsafe, "ssrf", List.of(), Map.of()));
    assertEquals("unsafe_server", refused.error().code());
  }
}
