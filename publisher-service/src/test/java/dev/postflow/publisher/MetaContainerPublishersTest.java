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
import dev.postflow.testsupport.platforms.MetaContainerSimulator;
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

/** Instagram and Threads: the container protocol against a Graph API simulator. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class MetaContainerPublishersTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  final MetaContainerSimulator ig = Simulators.instagram;
  final MetaContainerSimulator threads = Simulators.threads;
  String igAccount;
  String threadsAccount;
  MediaRef jpeg;

  @BeforeEach
  void setUp() throws Exception {
    ig.reset();
    threads.reset();
    igAccount = PlatformTestAccounts.insert(cipher, "instagram", "17841400000000001", MetaContainerSimulator.TOKEN, Map.of());
    threadsAccount = PlatformTestAccounts.insert(cipher, "threads", "25000000000000001", MetaContainerSimulator.TOKEN, Map.of());
    jpeg = Simulators.media.add("med_ig_jpeg", MediaFiles.jpeg(1080, 1080), "image/jpeg", 1080, 1080, null, "a square");
  }

  @Test
  void instagramPublishesAnImageAndACarouselThatMetaPullsFromTheSignedLinks() {
    PublishResult single = publish(publisher, request("instagram", igAccount, "Caption #one", List.of(jpeg), Map.of()));
    assertEquals(PublishResult.Outcome.published, single.outcome(), () -> String.valueOf(single.error()));
    assertTrue(single.permalink().startsWith("https://www.example-meta.test/p/"));
    assertTrue(ig.downloads.contains(jpeg.url()), "Meta fetched the signed link");
    var createCall = ig.calls("POST", "/media").get(0);
    assertTrue(createCall.text().contains("Caption #one"));

    MediaRef second = Simulators.media.add("med_ig_jpeg2", MediaFiles.jpeg(1080, 1350), "image/jpeg", 1080, 1350, null, null);
    MediaRef reel = Simulators.media.add("med_ig_mp4", MediaFiles.mp4(1080, 1920, 5000), "video/mp4", 1080, 1920, 5000L, null);
    PublishResult carousel = publish(publisher, request("instagram", igAccount, "A carousel", List.of(jpeg, second, reel), Map.of()));
    assertEquals(PublishResult.Outcome.published, carousel.outcome(), () -> String.valueOf(carousel.error()));
    assertEquals(2, ig.published.size());
    String carouselContainer = ig.published.get(1).get("container");
    assertEquals("CAROUSEL", ig.container(carouselContainer).get("media_type"));
    assertEquals(3, ig.container(carouselContainer).get("children").split(",").length);
  }

  @Test
  void instagramCollaboratorsGoOnTheSinglePostAndOnTheCarouselNotItsItems() {
    int calls = ig.calls("POST", "/media").size();
    PublishResult single = publish(publisher, request("instagram", igAccount, "With friends", List.of(jpeg), Map.of("collaborators", "@ada, bob.b")));
    assertEquals(PublishResult.Outcome.published, single.outcome(), () -> String.valueOf(single.error()));
    var sent = ig.calls("POST", "/media").subList(calls, ig.calls("POST", "/media").size()).stream()
        .map(dev.postflow.testsupport.platforms.Multipart::fields).filter(f -> !f.containsKey("creation_id")).toList();
    assertEquals("[\"ada\",\"bob.b\"]", sent.get(0).get("collaborators"));

    calls = ig.calls("POST", "/media").size();
    PublishResult carousel = publish(publisher, request("instagram", igAccount, "Carousel with friends", List.of(jpeg, jpeg), Map.of("collaborators", "ada")));
    assertEquals(PublishResult.Outcome.published, carousel.outcome(), () -> String.valueOf(carousel.error()));
    var carouselCalls = ig.calls("POST", "/media").subList(calls, ig.calls("POST", "/media").size()).stream()
        .map(dev.postflow.testsupport.platforms.Multipart::fields).filter(f -> !f.containsKey("creation_id")).toList();
    assertEquals(1, carouselCalls.stream().filter(f -> f.containsKey("collaborators")).count(), "only the carousel's own container");
    assertEquals("CAROUSEL", carouselCalls.stream().filter(f -> f.containsKey("collaborators")).findFirst().orElseThrow().get("media_type"));
  }

  @Test
  void aReelCarriesItsCoverAndFeedChoiceAndAnImageItsUserTags() {
    MediaRef reel = Simulators.media.add("med_ig_reel", MediaFiles.mp4(720, 1280, 8000), "video/mp4", 720, 1280, 8000L, null);
    MediaRef cover = Simulators.media.add("med_ig_cover", MediaFiles.jpeg(720, 1280), "image/jpeg", 720, 1280, null, null);
    PublishResult published = publish(publisher, PlatformTestAccounts.request("instagram", igAccount, "A reel", List.of(reel),
        Map.of("share_to_feed", false, "thumb_offset", 1500, "cover", cover.id()), Map.of(cover.id(), cover)));
    assertEquals(PublishResult.Outcome.published, published.outcome(), () -> String.valueOf(published.error()));
    Map<String, String> container = ig.container(ig.published.get(0).get("container"));
    assertEquals("REELS", container.get("media_type"));
    assertEquals("false", container.get("share_to_feed"));
    assertEquals("1500", container.get("thumb_offset"));
    assertEquals(cover.url(), container.get("cover_url"), "Meta pulls the cover from its signed link");

    PublishResult tagged = publish(publisher, request("instagram", igAccount, "Tagged", List.of(jpeg),
        Map.of("user_tags", List.of(Map.of("username", "@ada", "x", 0.25, "y", 0.75)))));
    assertEquals(PublishResult.Outcome.published, tagged.outcome(), () -> String.valueOf(tagged.error()));
    assertEquals("[{\"username\":\"ada\",\"x\":0.25,\"y\":0.75}]", ig.container(ig.published.get(1).get("container")).get("user_tags"));

    // a reel's tags have no position
    PublishResult taggedReel = publish(publisher, request("instagram", igAccount, "A tagged reel", List.of(reel),
        Map.of("user_tags", List.of(Map.of("username", "ada")))));
    assertEquals(PublishResult.Outcome.published, taggedReel.outcome(), () -> String.valueOf(taggedReel.error()));
    assertEquals("[{\"username\":\"ada\"}]", ig.container(ig.published.get(2).get("container")).get("user_tags"));

    // a carousel: each image carries the tags that name it, the carousel's own container none
    int calls = ig.calls("POST", "/media").size();
    PublishResult carousel = publish(publisher, request("instagram", igAccount, "A tagged carousel", List.of(jpeg, reel, jpeg),
        Map.of("user_tags", List.of(Map.of("username", "ada", "x", 0.5, "y", 0.5, "media_index", 2),
            Map.of("username", "bob", "x", 0.1, "y", 0.2, "media_index", 0), Map.of("username", "cy", "x", 0.3, "y", 0.4, "media_index", 2)))));
    assertEquals(PublishResult.Outcome.published, carousel.outcome(), () -> String.valueOf(carousel.error()));
    var created = ig.calls("POST", "/media").subList(calls, ig.calls("POST", "/media").size()).stream()
        .map(dev.postflow.testsupport.platforms.Multipart::fields).filter(f -> !f.containsKey("creation_id")).toList();
    assertEquals(java.util.Arrays.asList("[{\"username\":\"bob\",\"x\":0.1,\"y\":0.2}]", null,
            "[{\"username\":\"ada\",\"x\":0.5,\"y\":0.5},{\"username\":\"cy\",\"x\":0.3,\"y\":0.4}]", null),
        created.stream().map(f -> f.get("user_tags")).toList(), "items 0 and 2 tagged, the video and the carousel not");
  }

  @Test
  void aLostPublishAnswerIsReconciledFromTheContainerAndARetryDoesNotPublishAgain() {
    ig.failNext("media_publish", "lose_answer");
    PublishRequest request = request("instagram", igAccount, "lost", List.of(jpeg), Map.of());
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, ig.published.size());
    assertEquals(ig.published.get(0).get("id"), result.platformPostId(), "named from the account's media, by its caption");
    assertEquals(ig.published.get(0).get("permalink"), result.permalink());

    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome());
    assertEquals(1, ig.published.size(), "the stored container said PUBLISHED: no second media_publish");
  }

  @Test
  void aLargeVideoIsUploadedByUsWithResumableUploadAndNotFetchedByMeta() {
    // %test: videos from 64 KB are uploaded (50 MB by default)
    byte[] large = MediaFiles.mp4(1080, 1920, 9000, 200_000);
    MediaRef reel = Simulators.media.add("med_ig_large", large, "video/mp4", 1080, 1920, 9000L, null);
    PublishResult published = publish(publisher, request("instagram", igAccount, "A large reel", List.of(reel), Map.of()));
    assertEquals(PublishResult.Outcome.published, published.outcome(), () -> String.valueOf(published.error()));
    String container = ig.published.get(0).get("container");
    assertEquals("REELS", ig.container(container).get("media_type"));
    assertEquals("resumable", ig.container(container).get("upload_type"));
    assertEquals(null, ig.container(container).get("video_url"), "Meta is given no link to fetch");
    assertEquals(large.length, ig.uploads.get(container), "the whole file went to rupload, at offset 0");
    assertTrue(!ig.downloads.contains(reel.url()), "Meta did not fetch it");

    // A carousel: its large video uploaded the same way, its image and small video fetched by Meta from their links
    MediaRef small = Simulators.media.add("med_ig_small", MediaFiles.mp4(1080, 1920, 5000), "video/mp4", 1080, 1920, 5000L, null);
    PublishResult carousel = publish(publisher, request("instagram", igAccount, "A mixed carousel", List.of(jpeg, reel, small), Map.of()));
    assertEquals(PublishResult.Outcome.published, carousel.outcome(), () -> String.valueOf(carousel.error()));
    List<String> children = List.of(ig.container(ig.published.get(1).get("container")).get("children").split(","));
    assertEquals(List.of(false, true, false), children.stream().map(ig.uploads::containsKey).toList());
    assertTrue(ig.downloads.contains(jpeg.url()) && ig.downloads.contains(small.url()));
  }

  @Test
  void aFailedUploadIsRetriedInANewContainerAndBytesInstagramCannotProcessFailTheTarget() {
    byte[] large = MediaFiles.mp4(720, 1280, 9000, 100_000);
    MediaRef reel = Simulators.media.add("med_ig_retried", large, "video/mp4", 720, 1280, 9000L, null);
    ig.failNext("/ig-api-upload/", "server_error");
    PublishResult retried = publish(publisher, request("instagram", igAccount, "Uploaded on the second try", List.of(reel), Map.of()));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(2, ig.calls("POST", "/media").stream().filter(call -> call.text().contains("resumable")).count(),
        "the container whose upload failed was never published; a new one took the bytes");
    assertEquals(1, ig.uploads.size());
    assertEquals(1, ig.published.size());

    MediaRef notVideo = Simulators.media.add("med_ig_not_video", new byte[100_000], "video/mp4", 720, 1280, 9000L, null);
    PublishResult refused = publish(publisher, request("instagram", igAccount, "Not a video", List.of(notVideo), Map.of()));
    assertEquals(PublishResult.Outcome.failed, refused.outcome());
    assertEquals("media_invalid", refused.error().code());
    assertEquals(1, ig.published.size());
  }

  @Test
  void instagramFailuresMapToTheTaxonomy() {
    ig.failNext("media_publish", "rate_limited");
    ig.failNext("media_publish", "server_error");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("instagram", igAccount, "after throttling", List.of(jpeg), Map.of())).outcome());

    ig.failNext("media_publish", "publishing_cap");
    PublishResult cap = publish(publisher, request("instagram", igAccount, "cap", List.of(jpeg), Map.of()));
    assertEquals("quota_exhausted", cap.error().code());
    assertEquals("9/2207042", cap.error().providerCode());

    ig.failNext("media_publish", "expired_token");
    assertEquals("auth", publish(publisher, request("instagram", igAccount, "expired", List.of(jpeg), Map.of())).error().category());

    MediaRef png = Simulators.media.add("med_ig_png", MediaFiles.png(500, 500), "image/png", 500, 500, null, null);
    int creates = ig.calls("POST", "/media").size();
    PublishResult wrongFormat = publish(publisher, request("instagram", igAccount, "png", List.of(png), Map.of()));
    assertEquals("media_type_not_supported", wrongFormat.error().code(), "the shared rules refuse it before Instagram is called");
    assertEquals(creates, ig.calls("POST", "/media").size());

    ig.failNext("/media", "processing_error");
    PublishResult processing = publish(publisher, request("instagram", igAccount, "processing error", List.of(jpeg), Map.of()));
    assertEquals("media_invalid", processing.error().code());
  }

  @Test
  void threadsTextVideoAndProcessingFailures() {
    PublishResult text = publish(publisher, request("threads", threadsAccount, "Just text 👋", List.of(), Map.of("topic_tag", "launch")));
    assertEquals(PublishResult.Outcome.published, text.outcome(), () -> String.valueOf(text.error()));
    String container = threads.published.get(0).get("container");
    assertEquals("TEXT", threads.container(container).get("media_type"));
    assertEquals("launch", threads.container(container).get("topic_tag"));

    MediaRef video = Simulators.media.add("med_th_mp4", MediaFiles.mp4(720, 1280, 8000), "video/mp4", 720, 1280, 8000L, null);
    threads.failNext("/threads", "processing_error");
    PublishResult failed = publish(publisher, request("threads", threadsAccount, "bad video", List.of(video), Map.of()));
    assertEquals("media_invalid", failed.error().code());
    assertTrue(failed.error().message().contains("FAILED_PROCESSING_VIDEO"), failed.error().message());

    threads.failNext("/threads", "stuck");
    PublishResult stuck = publish(publisher, request("threads", threadsAccount, "stuck video", List.of(video), Map.of()));
    assertEquals("media_invalid", stuck.error().code());
    assertEquals(1, threads.published.size(), "neither failure published anything");
  }

  @Test
  void aThreadsPollIsAttachedToTheTextPost() throws Exception {
    PublishResult poll = publish(publisher, request("threads", threadsAccount, "Which one?", List.of(), Map.of("poll", "Red | Green|Blue")));
    assertEquals(PublishResult.Outcome.published, poll.outcome(), () -> String.valueOf(poll.error()));
    String attachment = threads.container(threads.published.get(0).get("container")).get("poll_attachment");
    assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"option_a\":\"Red\",\"option_b\":\"Green\",\"option_c\":\"Blue\"}"),
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(attachment));
  }

  @Test
  void aThreadsThreadIsThePostAndEachReplyUnderTheOneBefore() {
    PublishResult result = publish(publisher, request("threads", threadsAccount, "1/3 a thread", List.of(jpeg),
        Map.of("thread", List.of("2/3 the middle", "3/3 the end"))));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(3, threads.published.size());
    assertEquals(threads.published.get(0).get("id"), result.platformPostId(), "the target names the thread's first post");
    assertEquals("", threads.published.get(0).get("reply_to"));
    assertEquals(threads.published.get(0).get("id"), threads.published.get(1).get("reply_to"));
    assertEquals(threads.published.get(1).get("id"), threads.published.get(2).get("reply_to"));
    assertEquals("TEXT", threads.container(threads.published.get(2).get("container")).get("media_type"));
  }

  @Test
  void aThreadsReplyToSomeoneElsesPostIsFoundAmongTheRepliesAfterALostAnswer() {
    threads.othersPosts.add("18028880000000001");
    PublishResult result = publish(publisher, request("threads", threadsAccount, "Great thread!", List.of(),
        Map.of("reply_to", "18028880000000001", "thread", List.of("One more"))));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals("18028880000000001", threads.published.get(0).get("reply_to"));
    assertEquals(threads.published.get(0).get("id"), threads.published.get(1).get("reply_to"));

    threads.failNext("threads_publish", "lose_answer");
    PublishRequest lost = request("threads", threadsAccount, "Lost answer reply", List.of(), Map.of("reply_to", "18028880000000001"));
    PublishResult again = publish(publisher, lost);
    assertEquals(PublishResult.Outcome.published, again.outcome(), () -> String.valueOf(again.error()));
    assertEquals(3, threads.published.size(), "published once");
    assertEquals(threads.published.get(2).get("id"), again.platformPostId(), "its id read from the account's replies");
  }

  @Test
  void aThreadsReplyWithAPictureIsAnImageContainerAndWithTwoACarousel() {
    MediaRef png = Simulators.media.add("med_threads_reply", MediaFiles.png(800, 600), "image/png", 800, 600, null, null);
    List<Object> replies = List.of(Map.of("text", "2/3 the picture", "media_ids", List.of(png.id())),
        Map.of("text", "3/3 two more", "media_ids", List.of(png.id(), jpeg.id())));
    PublishResult result = publish(publisher, PlatformTestAccounts.request("threads", threadsAccount, "1/3 a thread", List.of(),
        Map.of("thread", replies), Map.of(png.id(), png, jpeg.id(), jpeg)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(3, threads.published.size());
    Map<String, String> first = threads.container(threads.published.get(1).get("container"));
    assertEquals("IMAGE", first.get("media_type"));
    assertEquals(png.url(), first.get("image_url"));
    assertEquals(threads.published.get(0).get("id"), first.get("reply_to_id"));
    Map<String, String> second = threads.container(threads.published.get(2).get("container"));
    assertEquals("CAROUSEL", second.get("media_type"));
    assertEquals(2, second.get("children").split(",").length);
    assertEquals(threads.published.get(1).get("id"), second.get("reply_to_id"));
    assertEquals("3/3 two more", second.get("text"));
  }

  @Test
  void aThreadsThreadCutShortContinuesWhereItStoppedAndNeverRepeatsAPost() {
    List<String> replies = List.of("2/4 first reply", "3/4 second reply", "4/4 third reply");
    threads.failOnText("second reply", "invalid_text");
    PublishRequest request = request("threads", threadsAccount, "1/4 a thread", List.of(), Map.of("thread", replies));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the thread stopped at reply 2 of 3 (the post and 1 reply are published"), failed.error().message());
    assertEquals(2, threads.published.size());

    // POST /retry: the post's and the first reply's containers say PUBLISHED, so only the rest is published
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(4, threads.published.size(), "the post and three replies, none twice");
    assertEquals(threads.published.get(1).get("id"), threads.published.get(2).get("reply_to"));

    // the last reply's publish answer is lost: its container says PUBLISHED, so the lookup confirms the thread
    threads.reset();
    threads.failOnText("third reply", "lose_answer");
    PublishResult lost = publish(publisher, request("threads", threadsAccount, "1/4 another thread", List.of(), Map.of("thread", replies)));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertEquals(4, threads.published.size());
    assertEquals(4, threads.calls("POST", "/threads_publish").size(), "nothing published twice");

    // a middle reply's publish answer is lost: its container says PUBLISHED, its id is read from the account's replies
    // (same text, replying to the first reply), and the last reply goes under it
    threads.reset();
    threads.failOnText("second reply", "lose_answer");
    PublishResult middle = publish(publisher, request("threads", threadsAccount, "1/4 a third thread", List.of(), Map.of("thread", replies)));
    assertEquals(PublishResult.Outcome.published, middle.outcome(), () -> String.valueOf(middle.error()));
    assertEquals(4, threads.published.size());
    assertEquals(threads.published.get(2).get("id"), threads.published.get(3).get("reply_to"));
    assertEquals(4, threads.calls("POST", "/threads_publish").size(), "nothing published twice");

    // the same for a post's own lost answer: the target names the post, not nothing
    threads.reset();
    threads.failNext("threads_publish", "lose_answer");
    PublishResult post = publish(publisher, request("threads", threadsAccount, "a post whose answer is lost", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, post.outcome(), () -> String.valueOf(post.error()));
    assertEquals(threads.published.get(0).get("id"), post.platformPostId());
    assertEquals(threads.published.get(0).get("permalink"), post.permalink());
  }

  @Test
  void anInstagramFirstCommentGoesUnderThePostOnce() {
    PublishResult result = publish(publisher, request("instagram", igAccount, "Sunset", List.of(jpeg), Map.of("first_comment", "#sunset #sea")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, ig.comments.comments.size());
    assertEquals(result.platformPostId(), ig.comments.comments.get(0).get("object"));

    // refused, then POST /retry: the container says PUBLISHED, so only the comment is sent
    ig.failOnText("#second", "comment_refused");
    PublishRequest request = request("instagram", igAccount, "Another sunset", List.of(jpeg), Map.of("first_comment", "#second #sunset"));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the post is published, but its first comment was refused"), failed.error().message());
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(2, ig.published.size(), "the post is not published again");
    assertEquals(2, ig.comments.comments.size());

    // the comment's answer is lost after it landed: found among the media's comments
    ig.failOnText("#third", "comment_lost");
    PublishResult lost = publish(publisher, request("instagram", igAccount, "A third sunset", List.of(jpeg), Map.of("first_comment", "#third")));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertEquals(3, ig.comments.comments.size());

    // the comment is cut before it lands, and a follower writes the same hashtags: theirs is not taken for ours
    // (before, the follower's comment was found by its text and the target reported published without our comment)
    ig.failOnText("#fourth", "comment_cut_copied");
    PublishRequest fourth = request("instagram", igAccount, "A fourth sunset", List.of(jpeg), Map.of("first_comment", "#fourth"));
    PublishResult cut = publish(publisher, fourth);
    assertEquals(PublishResult.Outcome.unconfirmed, cut.outcome(), "ours cannot be confirmed: not published, not a false success");
    // POST /retry with include_unconfirmed: still not there, so the comment is sent; the post is not published again
    PublishResult added = publish(publisher, PlatformTestAccounts.nextAttempt(fourth));
    assertEquals(PublishResult.Outcome.published, added.outcome(), () -> String.valueOf(added.error()));
    List<String> authors = ig.comments.comments.stream().filter(c -> "#fourth".equals(c.get("text"))).map(c -> c.get("from")).toList();
    assertEquals(List.of("follower-1", "17841400000000001"), authors, "the follower's comment, then the account's own");
    assertEquals(4, ig.published.size());
  }
}
