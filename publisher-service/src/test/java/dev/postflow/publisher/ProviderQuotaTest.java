package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.platforms.MastodonSimulator;
import dev.postflow.testsupport.platforms.YouTubeSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quotas from configuration (%test: Mastodon 2 per 2 s and 4 per hour per account; YouTube 2 uploads per 3 s for the
 * whole app): wait for a near slot, refuse a far one.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class ProviderQuotaTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  @Inject dev.postflow.publisher.publish.ProviderQuotas quotas;

  @Test
  void anAccountWaitsForItsNextSlotAndIsToldWhenTheDayIsUsedUp() throws Exception {
    MastodonSimulator sim = Simulators.mastodon;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "mastodon", "200", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    for (int i = 1; i <= 4; i++) {
      PublishResult result = publish(publisher, request("mastodon", account, "post " + i, List.of(), Map.of()));
      assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    }
    List<Instant> created = sim.statuses.stream().map(s -> Instant.parse(s.path("created_at").asText())).toList();
    assertTrue(Duration.between(created.get(0), created.get(2)).toMillis() >= 1900,
        "the third post waited for the 2-per-2-s slot: " + created);
    assertTrue(Duration.between(created.get(1), created.get(3)).toMillis() >= 1900, "and the fourth: " + created);

    PublishResult fifth = publish(publisher, request("mastodon", account, "post 5", List.of(), Map.of()));
    assertEquals("quota_exhausted", fifth.error().code());
    assertFalse(fifth.error().retryable());
    assertTrue(fifth.error().message().contains("4 per 1h"), fifth.error().message());
    assertEquals(4, sim.statuses.size(), "the platform was not called beyond the quota");
  }

  @Test
  void aThreadCountsAsAllItsPosts() throws Exception {
    MastodonSimulator sim = Simulators.mastodon;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "mastodon", "201", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    PublishResult thread = publish(publisher, request("mastodon", account, "1/2 a thread", List.of(), Map.of("thread", List.of("2/2 the end"))));
    assertEquals(PublishResult.Outcome.published, thread.outcome(), () -> String.valueOf(thread.error()));
    PublishResult post = publish(publisher, request("mastodon", account, "a post after the thread", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, post.outcome(), () -> String.valueOf(post.error()));
    List<Instant> created = sim.statuses.stream().map(s -> Instant.parse(s.path("created_at").asText())).toList();
    assertTrue(Duration.between(created.get(0), created.get(2)).toMillis() >= 1900,
        "the thread's two posts filled the 2-per-2-s slot, so the next post waited: " + created);

    // 3 of 4 posts an hour are out: a thread of two does not fit, a single post would
    PublishResult another = publish(publisher, request("mastodon", account, "1/2 another", List.of(), Map.of("thread", List.of("2/2 no room"))));
    assertEquals("quota_exhausted", another.error().code());
    assertTrue(another.error().message().contains("4 per 1h"), another.error().message());
    assertEquals(3, sim.statuses.size());
  }

  @Test
  void aThreadStoppedAtAReplyStillCountsWhatWentOut() throws Exception {
    MastodonSimulator sim = Simulators.mastodon;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "mastodon", "202", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    sim.failOnText("refused reply", "invalid_status");
    dev.postflow.contract.PublishRequest thread = request("mastodon", account, "1/3 cut short", List.of(),
        Map.of("thread", List.of("2/3 out", "3/3 refused reply")));
    PublishResult stopped = publish(publisher, thread);
    assertEquals(PublishResult.Outcome.failed, stopped.outcome());
    assertTrue(stopped.platformPostId() != null, "the failure names the post that is out");
    assertEquals(2, sim.statuses.size(), "the post and its first reply are out");
    // those two filled the 2-per-2-s slot: a failed publish whose posts went out counts, so the next post waits
    PublishResult post = publish(publisher, request("mastodon", account, "a post after it", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, post.outcome(), () -> String.valueOf(post.error()));
    List<Instant> created = sim.statuses.stream().map(s -> Instant.parse(s.path("created_at").asText())).toList();
    assertTrue(Duration.between(created.get(0), created.get(2)).toMillis() >= 1900, "the next post waited for the slot: " + created);

    // POST /retry: the thread counts once (3 of the hour's 4, with the post after it 4), not again for its retry
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(thread));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(4, sim.statuses.size(), "the last reply added, nothing twice");
    PublishResult over = publish(publisher, request("mastodon", account, "one more", List.of(), Map.of()));
    assertEquals("quota_exhausted", over.error().code(), "the hour's 4 are used: the thread's 3 and the post");
  }

  @Test
  void threadsCountsRepliesApartFromPosts() throws Exception {
    dev.postflow.testsupport.platforms.MetaContainerSimulator sim = Simulators.threads;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "threads", "25000000000000077", dev.postflow.testsupport.platforms.MetaContainerSimulator.TOKEN,
        Map.of());
    List<String> twelve = java.util.stream.IntStream.rangeClosed(2, 13).mapToObj(n -> n + "/13 reply").toList();
    PublishResult first = publish(publisher, request("threads", account, "1/13 a long thread", List.of(), Map.of("thread", twelve)));
    assertEquals(PublishResult.Outcome.published, first.outcome(), () -> String.valueOf(first.error()));
    assertEquals(13, sim.published.size());
    // 12 of the test's 20 replies an hour are used: another 12 do not fit, and nothing of the thread is sent
    PublishResult second = publish(publisher, request("threads", account, "1/13 another", List.of(), Map.of("thread", twelve.stream()
        .map(r -> r + " again").toList())));
    assertEquals("quota_exhausted", second.error().code());
    assertTrue(second.error().message().contains("20 per 1h for this account's replies"), second.error().message());
    assertEquals(13, sim.published.size());
    // a post without replies still goes: the 250 posts a day are counted apart
    PublishResult post = publish(publisher, request("threads", account, "just a post", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, post.outcome(), () -> String.valueOf(post.error()));
  }

  @Test
  void facebookCountsAPagesReelsApartFromItsOtherPosts() throws Exception {
    dev.postflow.testsupport.platforms.FacebookSimulator sim = Simulators.facebook;
    sim.reset();
    String page = PlatformTestAccounts.insert(cipher, "facebook", "1077", dev.postflow.testsupport.platforms.FacebookSimulator.TOKEN, Map.of());
    dev.postflow.contract.MediaRef reel = Simulators.media.add("med_quota_reel", dev.postflow.testsupport.MediaFiles.mp4(1080, 1920, 20_000),
        "video/mp4", 1080, 1920, 20_000L, null);
    for (int i = 1; i <= 2; i++) {
      PublishResult result = publish(publisher, request("facebook", page, "reel " + i, List.of(reel), Map.of("video_type", "REELS")));
      assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    }
    // the test's 2 reels an hour are used: a third is refused before Facebook is called, a text post still goes
    int calls = sim.calls("POST", "/video_reels").size();
    PublishResult third = publish(publisher, request("facebook", page, "reel 3", List.of(reel), Map.of("video_type", "REELS")));
    assertEquals("quota_exhausted", third.error().code());
    assertTrue(third.error().message().contains("2 per 1h for this Page's reels"), third.error().message());
    assertEquals(calls, sim.calls("POST", "/video_reels").size());
    PublishResult post = publish(publisher, request("facebook", page, "a text post", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, post.outcome(), () -> String.valueOf(post.error()));
  }

  @Test
  void allAccountsOfTheAppShareItsQuota() throws Exception {
    YouTubeSimulator sim = Simulators.youtube;
    String first = PlatformTestAccounts.insert(cipher, "youtube", "UCquotaFirst", YouTubeSimulator.TOKEN, Map.of());
    String second = PlatformTestAccounts.insert(cipher, "youtube", "UCquotaSecond", YouTubeSimulator.TOKEN, Map.of());
    var video = Simulators.media.add("med_quota_video", MediaFiles.mp4(64, 64, 1000), "video/mp4", 64, 64, 1000L, null);
    String title = "app quota " + java.util.UUID.randomUUID();

    for (String account : List.of(first, first, second)) {
      PublishResult result = publish(publisher, request("youtube", account, "description", List.of(video),
          Map.of("title", title, "privacy", "private")));
      assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    }
    List<Instant> inserted = sim.videos.stream().filter(v -> v.path("snippet").path("title").asText().equals(title))
        .map(v -> Instant.parse(v.path("inserted_at").asText())).sorted().toList();
    assertEquals(3, inserted.size());
    assertTrue(Duration.between(inserted.get(0), inserted.get(2)).toMillis() >= 2900,
        "the other channel's upload waited for the app's 2-per-3-s slot: " + inserted);
  }

  /**
   * Accounts connected through a workspace's own app (its own Google Cloud project) count against that app's quota,
   * not the deployment's, and the deployment's accounts do not count against theirs.
   */
  @Test
  void accountsOfAWorkspacesOwnAppCountAgainstThatAppsQuota() throws Exception {
    String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
    String deployment = PlatformTestAccounts.insert(cipher, "youtube", "UCdeployment" + suffix, YouTubeSimulator.TOKEN, Map.of());
    String own = PlatformTestAccounts.insert(cipher, "youtube", "UCown" + suffix, YouTubeSimulator.TOKEN, Map.of());
    String app = PlatformTestAccounts.connectThroughApp(cipher, own, "youtube", "ws-yt-" + suffix, "secret", null, null);
    var video = Simulators.media.add("med_own_app_video", MediaFiles.mp4(64, 64, 1000), "video/mp4", 64, 64, 1000L, null);
    // The deployment's app quota (2 per 3 s in tests) free of other tests' uploads:
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> quotas.check("youtube", deployment, null, "tgt_probe", 2, 0).await().indefinitely() == null);

    for (int i = 0; i < 2; i++) {
      PublishResult result = publish(publisher, request("youtube", own, "description", List.of(video), Map.of("title", "own app " + suffix, "privacy", "private")));
      assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    }
    var ownWait = quotas.check("youtube", own, app, "tgt_probe", 2, 0).await().indefinitely();
    assertTrue(ownWait != null && ownWait.scope() == dev.postflow.publisher.publish.ProviderQuotas.Scope.OWN_APP, String.valueOf(ownWait));
    assertEquals(null, quotas.check("youtube", deployment, null, "tgt_probe", 2, 0).await().indefinitely(),
        "the workspace app's uploads are not the deployment's");
  }
}
