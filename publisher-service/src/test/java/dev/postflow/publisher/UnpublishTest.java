package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static dev.postflow.publisher.PlatformTestAccounts.unpublish;
import static dev.postflow.publisher.PlatformTestAccounts.unpublishRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.publisher.publish.UnpublishService;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.BlueskySimulator;
import dev.postflow.testsupport.platforms.FacebookSimulator;
import dev.postflow.testsupport.platforms.GoogleBusinessSimulator;
import dev.postflow.testsupport.platforms.LinkedInSimulator;
import dev.postflow.testsupport.platforms.MastodonSimulator;
import dev.postflow.testsupport.platforms.MetaContainerSimulator;
import dev.postflow.testsupport.platforms.PinterestSimulator;
import dev.postflow.testsupport.platforms.XSimulator;
import dev.postflow.testsupport.platforms.YouTubeSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Unpublishing on every platform with a delete, against its simulator: the platform's own delete call takes the post
 * (a thread: its replies, the last first, then the post) down; a second take-down finds it gone and is no error; a
 * refusal leaves the post up and says so; a 5xx is tried again.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class UnpublishTest {
  @Inject PublishService publisher;
  @Inject UnpublishService unpublisher;
  @Inject SecretCipher cipher;

  /** Publishes, takes it down, takes it down again (gone already: still unpublished); returns the first take-down's result. */
  private PublishResult publishedThenTakenDown(PublishRequest request, Supplier<List<String>> deleted) {
    PublishResult published = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, published.outcome(), () -> String.valueOf(published.error()));
    PublishResult removed = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublished, removed.outcome(), () -> String.valueOf(removed.error()));
    List<String> expected = List.of(published.platformPostId());
    assertEquals(expected, deleted.get(), request.platform() + ": what the platform deleted");
    PublishResult again = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublished, again.outcome(), () -> request.platform() + " again: " + again.error());
    assertEquals(expected, deleted.get(), request.platform() + ": nothing deleted twice");
    return removed;
  }

  @Test
  void aBlueskyThreadIsDeletedReplyByReplyThenThePost() throws Exception {
    BlueskySimulator sim = Simulators.bluesky;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "bluesky", BlueskySimulator.DID, BlueskySimulator.APP_PASSWORD, Map.of("pds_url", sim.baseUrl()));
    PublishRequest request = request("bluesky", account, "1/3 going away", List.of(), Map.of("thread", List.of("2/3", "3/3")));
    PublishResult published = publish(publisher, request);
    List<String> rkeys = List.copyOf(sim.records.keySet());
    assertEquals(3, rkeys.size());
    PublishResult removed = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublished, removed.outcome(), () -> String.valueOf(removed.error()));
    String root = published.platformPostId().substring(published.platformPostId().lastIndexOf('/') + 1);
    assertEquals(3, sim.deleted.size());
    assertEquals(root, sim.deleted.get(2), "the post last, after its replies");
    assertTrue(sim.records.isEmpty());
    assertEquals(PublishResult.Outcome.unpublished, unpublish(unpublisher, unpublishRequest(request, published)).outcome(), "a PDS deletes idempotently");
  }

  @Test
  void mastodonXAndThreadsDeleteTheirThreadsLastReplyFirst() throws Exception {
    MastodonSimulator mastodon = Simulators.mastodon;
    mastodon.reset();
    String masto = PlatformTestAccounts.insert(cipher, "mastodon", "109", MastodonSimulator.TOKEN, Map.of("instance_url", mastodon.baseUrl()));
    takenDownLastReplyFirst(request("mastodon", masto, "1/2 toot", List.of(), Map.of("thread", List.of("2/2 toot"))), () -> mastodon.deleted,
        () -> mastodon.statuses.stream().map(s -> s.path("id").asText()).toList());

    XSimulator x = Simulators.x;
    x.reset();
    String xAccount = PlatformTestAccounts.insert(cipher, "x", XSimulator.USER_ID, XSimulator.TOKEN, Map.of());
    takenDownLastReplyFirst(request("x", xAccount, "1/2 post", List.of(), Map.of("thread", List.of("2/2 post"))), () -> x.deleted,
        () -> x.tweets.stream().map(t -> t.path("id").asText()).toList());

    MetaContainerSimulator threads = Simulators.threads;
    threads.reset();
    String threadsAccount = PlatformTestAccounts.insert(cipher, "threads", "25000000000000001", MetaContainerSimulator.TOKEN, Map.of());
    takenDownLastReplyFirst(request("threads", threadsAccount, "1/2 thread", List.of(), Map.of("thread", List.of("2/2 thread"))),
        () -> threads.deleted, () -> threads.published.stream().map(m -> m.get("id")).toList());
  }

  /** A thread of a post and one reply: the reply is deleted, then the post; a second take-down finds both gone. */
  private void takenDownLastReplyFirst(PublishRequest request, Supplier<List<String>> deleted, Supplier<List<String>> created) {
    PublishResult published = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, published.outcome(), () -> String.valueOf(published.error()));
    List<String> ids = created.get();
    assertEquals(2, ids.size());
    assertEquals(ids.get(0), published.platformPostId());
    PublishResult removed = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublished, removed.outcome(), () -> String.valueOf(removed.error()));
    assertEquals(List.of(ids.get(1), ids.get(0)), deleted.get(), request.platform() + ": the reply, then the post");
    PublishResult again = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublished, again.outcome(), () -> request.platform() + " again: " + again.error());
    assertEquals(List.of(ids.get(1), ids.get(0)), deleted.get(), request.platform() + ": nothing deleted twice");
  }

  @Test
  void facebookLinkedInYouTubePinterestAndGoogleDeleteThePost() throws Exception {
    FacebookSimulator facebook = Simulators.facebook;
    facebook.reset();
    String page = PlatformTestAccounts.insert(cipher, "facebook", "104000000000001", FacebookSimulator.TOKEN, Map.of());
    publishedThenTakenDown(request("facebook", page, "Page post to take down", List.of(), Map.of()), () -> facebook.deleted);

    LinkedInSimulator linkedin = Simulators.linkedin;
    linkedin.reset();
    String member = PlatformTestAccounts.insert(cipher, "linkedin", "urn:li:person:8675309", LinkedInSimulator.TOKEN, Map.of());
    publishedThenTakenDown(request("linkedin", member, "A post to take down", List.of(), Map.of()), () -> linkedin.deleted);

    MediaRef video = Simulators.media.add("med_unpub_mp4", MediaFiles.mp4(1080, 1920, 15000), "video/mp4", 1080, 1920, 15000L, null);
    MediaRef jpeg = Simulators.media.add("med_unpub_jpg", MediaFiles.jpeg(1000, 1500), "image/jpeg", 1000, 1500, null, null);
    YouTubeSimulator youtube = Simulators.youtube;
    youtube.reset();
    String channel = PlatformTestAccounts.insert(cipher, "youtube", YouTubeSimulator.CHANNEL_ID, YouTubeSimulator.TOKEN, Map.of());
    publishedThenTakenDown(request("youtube", channel, "Description", List.of(video), Map.of("title", "Going away", "privacy", "unlisted")), () -> youtube.deleted);

    PinterestSimulator pinterest = Simulators.pinterest;
    pinterest.reset();
    String pinner = PlatformTestAccounts.insert(cipher, "pinterest", "pinuser", PinterestSimulator.TOKEN, Map.of());
    publishedThenTakenDown(request("pinterest", pinner, "a pin", List.of(jpeg), Map.of("board_id", PinterestSimulator.BOARD, "title", "A pin")),
        () -> pinterest.deleted);

    GoogleBusinessSimulator google = Simulators.google;
    google.reset();
    String location = PlatformTestAccounts.insert(cipher, "google_business", GoogleBusinessSimulator.LOCATION, GoogleBusinessSimulator.TOKEN, Map.of());
    publishedThenTakenDown(request("google_business", location, "Closed today", List.of(), Map.of("topic_type", "STANDARD")), () -> google.deleted);
  }

  @Test
  void aRefusedDeleteLeavesThePostUpAndSaysWhatToDoA5xxIsTriedAgain() throws Exception {
    MastodonSimulator sim = Simulators.mastodon;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "mastodon", "109", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    PublishRequest request = request("mastodon", account, "stays up", List.of(), Map.of());
    PublishResult published = publish(publisher, request);

    sim.failNext("/api/v1/statuses/", "forbidden");
    PublishResult refused = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublish_failed, refused.outcome());
    assertEquals("permission_denied", refused.error().code(), () -> String.valueOf(refused.error()));
    assertTrue(refused.error().message().startsWith("the post is still on mastodon: "), refused.error().message());
    assertEquals(403, refused.httpStatus());
    assertTrue(refused.error().action().endsWith("then unpublish the post again."), refused.error().action());
    assertTrue(sim.deleted.isEmpty());

    sim.failNext("/api/v1/statuses/", "server_error");
    PublishResult afterRetry = unpublish(unpublisher, unpublishRequest(request, published));
    assertEquals(PublishResult.Outcome.unpublished, afterRetry.outcome(), () -> String.valueOf(afterRetry.error()));
    assertEquals(2, sim.calls("DELETE", "/api/v1/statuses/").size() - 1, "the 503, then the delete that worked (after the refused one)");
    assertEquals(List.of(published.platformPostId()), sim.deleted);
  }
}
