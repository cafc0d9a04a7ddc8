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
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.platforms.XSimulator;
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
class XPublisherTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  @Inject dev.postflow.publisher.publish.UnpublishService unpublisher;
  final XSimulator sim = Simulators.x;
  String account;

  @BeforeEach
  void setUp() throws Exception {
    sim.reset();
    account = PlatformTestAccounts.insert(cipher, "x", XSimulator.USER_ID, XSimulator.TOKEN, Map.of());
  }

  @Test
  void postsImagesAndAProcessedVideo() {
    MediaRef a = Simulators.media.add("med_x1", MediaFiles.jpeg(100, 100), "image/jpeg", 100, 100, null, null);
    MediaRef b = Simulators.media.add("med_x2", MediaFiles.png(100, 100), "image/png", 100, 100, null, null);
    PublishResult images = publish(publisher, request("x", account, "two pictures https://example.com", List.of(a, b), Map.of()));
    assertEquals(PublishResult.Outcome.published, images.outcome(), () -> String.valueOf(images.error()));
    assertEquals(2, sim.tweets.get(0).path("media_ids").size());
    assertTrue(images.permalink().startsWith("https://x.com/i/status/"));

    MediaRef video = Simulators.media.add("med_x3", MediaFiles.mp4(640, 360, 5000), "video/mp4", 640, 360, 5000L, null);
    PublishResult withVideo = publish(publisher, request("x", account, "a video", List.of(video), Map.of()));
    assertEquals(PublishResult.Outcome.published, withVideo.outcome(), () -> String.valueOf(withVideo.error()));
    assertEquals(1, sim.calls("POST", "/finalize").size());
    assertTrue(sim.calls("GET", "/2/media/upload").size() >= 2, "STATUS polled until succeeded");
  }

  @Test
  void anOAuth1AccountSignsEveryRequestImagesVideoLookupAndDelete() throws Exception {
    String signed = PlatformTestAccounts.insertOAuth1(cipher, XSimulator.USER_ID, XSimulator.OAUTH1_TOKEN, XSimulator.OAUTH1_TOKEN_SECRET);
    MediaRef image = Simulators.media.add("med_x1a_img", MediaFiles.jpeg(100, 100), "image/jpeg", 100, 100, null, null);
    MediaRef video = Simulators.media.add("med_x1a_vid", MediaFiles.mp4(640, 360, 5000), "video/mp4", 640, 360, 5000L, null);
    PublishResult withImage = publish(publisher, request("x", signed, "signed, with a picture", List.of(image), Map.of()));
    assertEquals(PublishResult.Outcome.published, withImage.outcome(), () -> String.valueOf(withImage.error()));
    PublishRequest withVideo = request("x", signed, "signed, with a video", List.of(video), Map.of());
    PublishResult videoResult = publish(publisher, withVideo);
    assertEquals(PublishResult.Outcome.published, videoResult.outcome(), () -> String.valueOf(videoResult.error()));
    var creates = sim.calls("POST", "/2/tweets");
    assertTrue(creates.stream().allMatch(c -> c.header("Authorization").startsWith("OAuth oauth_consumer_key=\"" + XSimulator.CONSUMER_KEY + "\"")));
    // upload, initialize, append, finalize, STATUS polls (signed with their query), two creates: each checked by the simulator
    int checked = sim.oauth1Verified.get();
    assertTrue(checked >= 8, "signatures checked: " + checked);

    // a lost answer is looked up with a signed GET whose query is part of the signature
    sim.failNext("/2/tweets", "lose_answer");
    PublishResult lost = publish(publisher, request("x", signed, "signed, answer lost", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertTrue(sim.calls("GET", "/2/users/" + XSimulator.USER_ID + "/tweets").get(0).header("Authorization").startsWith("OAuth "));

    PublishResult removed = PlatformTestAccounts.unpublish(unpublisher, PlatformTestAccounts.unpublishRequest(withVideo, videoResult));
    assertEquals(PublishResult.Outcome.unpublished, removed.outcome(), () -> String.valueOf(removed.error()));
    assertEquals(List.of(videoResult.platformPostId()), sim.deleted);

    // a wrong secret signs wrongly: X answers 401, and the target says to reconnect (nothing was posted)
    String wrong = PlatformTestAccounts.insertOAuth1(cipher, XSimulator.USER_ID, XSimulator.OAUTH1_TOKEN, "not-the-secret");
    int before = sim.tweets.size();
    PublishResult refused = publish(publisher, request("x", wrong, "badly signed", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.failed, refused.outcome());
    assertEquals("token_invalid", refused.error().code(), () -> String.valueOf(refused.error()));
    assertEquals(before, sim.tweets.size());
  }

  /** An account connected through the workspace's own X app signs with that app's consumer key and secret, not ours. */
  @Test
  void anOAuth1AccountOfAWorkspacesOwnAppSignsWithThatApp() throws Exception {
    String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
    sim.registerOAuth1("ws-consumer-" + suffix, "ws-consumer-secret-" + suffix, "ws-token-" + suffix, "ws-token-secret-" + suffix);
    String signed = PlatformTestAccounts.insertOAuth1(cipher, XSimulator.USER_ID, "ws-token-" + suffix, "ws-token-secret-" + suffix);
    String app = PlatformTestAccounts.connectThroughApp(cipher, signed, "x", "ws-client-" + suffix, "ws-client-secret", "ws-consumer-" + suffix,
        "ws-consumer-secret-" + suffix);
    PublishResult result = publish(publisher, request("x", signed, "signed by the workspace's app", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals("ws-consumer-" + suffix, sim.oauth1SignedBy.get(sim.oauth1SignedBy.size() - 1));

    // the app lost its consumer keys: nothing is sent, and the target says what to set
    try (var connection = dev.postflow.testsupport.RealInfrastructure.jdbc();
         var update = connection.prepareStatement("update posts.oauth_app set consumer_key = null, consumer_secret = null where id = ?")) {
      update.setString(1, app);
      update.executeUpdate();
    }
    int before = sim.tweets.size();
    PublishResult unsigned = publish(publisher, request("x", signed, "no keys to sign with", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.failed, unsigned.outcome());
    assertTrue(unsigned.error().message().contains("PUT /v1/oauth-apps/x"), unsigned.error().message());
    assertEquals(before, sim.tweets.size());
  }

  @Test
  void aPollGoesOutWithItsChoicesAndDuration() {
    PublishResult result = publish(publisher, request("x", account, "Tea or coffee?", List.of(), Map.of("poll", "Tea | Coffee", "poll_duration_minutes", "90")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    var poll = sim.tweets.get(0).path("poll");
    assertEquals("Tea", poll.path("options").get(0).asText());
    assertEquals("Coffee", poll.path("options").get(1).asText());
    assertEquals(90, poll.path("duration_minutes").asInt());

    PublishResult byDefault = publish(publisher, request("x", account, "A day to decide", List.of(), Map.of("poll", "Yes|No|Maybe")));
    assertEquals(PublishResult.Outcome.published, byDefault.outcome(), () -> String.valueOf(byDefault.error()));
    assertEquals(1440, sim.tweets.get(1).path("poll").path("duration_minutes").asInt(), "a day unless said otherwise");
  }

  @Test
  void aLostAnswerIsFoundInTheTimelineAndADuplicateIsNotPostedAgain() {
    sim.failNext("/2/tweets", "lose_answer");
    PublishRequest request = request("x", account, "lost answer with a link https://example.com/x", List.of(), Map.of());
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.tweets.size());
    assertEquals(sim.tweets.get(0).path("id").asText(), result.platformPostId(), "found although X shortened the link");

    // a retry of the same target: X says duplicate, we find our post instead of failing or posting again
    PublishResult again = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, again.outcome(), () -> String.valueOf(again.error()));
    assertEquals(1, sim.tweets.size());
  }

  @Test
  void aThreadIsThePostAndEachReplyUnderTheOneBefore() {
    PublishResult result = publish(publisher, request("x", account, "1/3 a thread https://example.com/t", List.of(),
        Map.of("thread", List.of("2/3 the middle", "3/3 the end"))));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(3, sim.tweets.size());
    assertEquals(sim.tweets.get(0).path("id").asText(), result.platformPostId(), "the target names the thread's first post");
    assertTrue(sim.tweets.get(0).path("in_reply_to").isMissingNode());
    assertEquals(sim.tweets.get(0).path("id").asText(), sim.tweets.get(1).path("in_reply_to").asText());
    assertEquals(sim.tweets.get(1).path("id").asText(), sim.tweets.get(2).path("in_reply_to").asText());
  }

  @Test
  void aReplyToSomeoneElsesPostGoesUnderItWithItsThreadAndIsFoundAgainAfterALostAnswer() {
    sim.othersPosts.put("1460323737035677698", "XDevelopers");
    PublishRequest request = request("x", account, "Thanks for the update!", List.of(), Map.of("reply_to", "1460323737035677698",
        "thread", List.of("And one more thing")));
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals("1460323737035677698", sim.tweets.get(0).path("in_reply_to").asText(), "the post answers the other user's post");
    assertEquals(sim.tweets.get(0).path("id").asText(), sim.tweets.get(1).path("in_reply_to").asText(), "the thread continues under it");

    // the answer is lost: the reply is found on the timeline (read back with "@XDevelopers " in front), not sent again
    sim.reset();
    sim.othersPosts.put("1460323737035677698", "XDevelopers");
    sim.failOnText("Lost but there", "lose_answer");
    PublishResult found = publish(publisher, request("x", account, "Lost but there", List.of(), Map.of("reply_to", "1460323737035677698")));
    assertEquals(PublishResult.Outcome.published, found.outcome(), () -> String.valueOf(found.error()));
    assertEquals(1, sim.tweets.size());
    assertTrue(sim.tweets.get(0).path("text").asText().startsWith("@XDevelopers "));

    // a post that is not there: X's error, nothing published
    PublishResult gone = publish(publisher, request("x", account, "To a deleted post", List.of(), Map.of("reply_to", "1")));
    assertEquals(PublishResult.Outcome.failed, gone.outcome());
    assertTrue(gone.error().message().contains("replying to"), gone.error().message());
  }

  @Test
  void aThreadsReplyCarriesItsOwnImages() {
    MediaRef one = Simulators.media.add("med_x_reply1", MediaFiles.jpeg(800, 600), "image/jpeg", 800, 600, null, null);
    MediaRef two = Simulators.media.add("med_x_reply2", MediaFiles.png(800, 600), "image/png", 800, 600, null, null);
    Map<String, Object> reply = Map.of("text", "2/2 two pictures", "media_ids", List.of(one.id(), two.id()));
    PublishResult result = publish(publisher, PlatformTestAccounts.request("x", account, "1/2 a thread", List.of(), Map.of("thread", List.of(reply)),
        Map.of(one.id(), one, two.id(), two)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(2, sim.tweets.size());
    assertEquals(0, sim.tweets.get(0).path("media_ids").size());
    assertEquals(2, sim.tweets.get(1).path("media_ids").size(), "the reply carries both pictures");
    assertEquals(sim.tweets.get(0).path("id").asText(), sim.tweets.get(1).path("in_reply_to").asText());
  }

  @Test
  void aThreadCutShortContinuesWhereItStoppedAndNeverRepeatsAPost() {
    List<String> replies = List.of("2/4 first reply", "3/4 second reply", "4/4 third reply");
    sim.failOnText("second reply", "invalid_request");
    PublishRequest request = request("x", account, "1/4 a thread", List.of(), Map.of("thread", replies));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the thread stopped at reply 2 of 3 (the post and 1 reply are published"), failed.error().message());
    assertEquals(2, sim.tweets.size());

    // POST /retry: the post and the first reply are known by their kept ids; the second reply, sent before and refused,
    // is looked for on the timeline first (not there), then sent; nothing is posted twice
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(4, sim.tweets.size(), "the post and three replies, none twice");
    assertEquals(sim.tweets.get(1).path("id").asText(), sim.tweets.get(2).path("in_reply_to").asText());
    assertEquals(5, sim.calls("POST", "/2/tweets").size(), "the post, three replies and the refused one");

    // the second reply's answer is lost after it landed: the lookup finds it on the timeline by its text and parent,
    // then sends the third, which was never sent
    sim.reset();
    sim.failOnText("second reply", "lose_answer");
    PublishResult reconciled = publish(publisher, request("x", account, "1/4 another thread", List.of(), Map.of("thread", replies)));
    assertEquals(PublishResult.Outcome.published, reconciled.outcome(), () -> String.valueOf(reconciled.error()));
    assertEquals(4, sim.tweets.size());
    assertEquals(4, sim.calls("POST", "/2/tweets").size(), "nothing sent twice");
    assertEquals(sim.tweets.get(2).path("id").asText(), sim.tweets.get(3).path("in_reply_to").asText());
  }

  @Test
  void aQuotePostNamesTheQuotedPostAndAPlanWithoutQuotesIsAPermissionError() {
    PublishResult quote = publish(publisher, request("x", account, "Worth reading", List.of(), Map.of("quote_tweet_id", "1346889436626259968")));
    assertEquals(PublishResult.Outcome.published, quote.outcome(), () -> String.valueOf(quote.error()));
    assertEquals("1346889436626259968", sim.tweets.get(0).path("quote_tweet_id").asText());

    sim.failNext("/2/tweets", "quote_not_allowed");
    PublishResult refused = publish(publisher, request("x", account, "Also worth reading", List.of(), Map.of("quote_tweet_id", "1346889436626259969")));
    assertEquals(PublishResult.Outcome.failed, refused.outcome());
    assertEquals("permission", refused.error().category());
    assertTrue(refused.error().message().contains("not available on your plan"), refused.error().message());
    assertEquals(1, sim.tweets.size());
  }

  @Test
  void failuresMapToTheTaxonomy() {
    sim.failNext("/2/tweets", "rate_limited");
    sim.failNext("/2/tweets", "server_error");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("x", account, "after 429 and 503", List.of(), Map.of())).outcome());

    sim.failNext("/2/tweets", "expired_token");
    PublishResult expired = publish(publisher, request("x", account, "expired", List.of(), Map.of()));
    assertEquals("auth", expired.error().category());

    sim.failNext("/2/tweets", "usage_capped");
    PublishResult capped = publish(publisher, request("x", account, "capped", List.of(), Map.of()));
    assertEquals("quota_exhausted", capped.error().code());
    assertEquals(false, capped.error().retryable());

    sim.failNext("/2/media/upload/initialize", "processing_failed");
    MediaRef video = Simulators.media.add("med_x4", MediaFiles.mp4(64, 64, 1000), "video/mp4", 64, 64, 1000L, null);
    PublishResult bad = publish(publisher, request("x", account, "bad video", List.of(video), Map.of()));
    assertEquals("media_invalid", bad.error().code());
    assertTrue(bad.error().message().contains("Unsupported video codec"));

    // someone else's identical text posted earlier (not ours): a duplicate we cannot find is reported, not retried
    publish(publisher, request("x", account, "same words", List.of(), Map.of()));
    sim.tweets.forEach(t -> ((com.fasterxml.jackson.databind.node.ObjectNode) t).put("created_at", "2020-01-01T00:00:00Z"));
    PublishResult duplicate = publish(publisher, request("x", account, "same words", List.of(), Map.of()));
    assertEquals("duplicate_content", duplicate.error().code());
    assertEquals(1, sim.tweets.stream().filter(t -> t.path("original_text").asText().equals("same words")).count());
  }
}
