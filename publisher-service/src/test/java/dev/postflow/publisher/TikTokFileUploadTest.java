package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.TikTokSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TikTok with postflow.platforms.tiktok.video-source=FILE_UPLOAD: the publisher sends the video's bytes (no domain to
 * verify), whole up to 64 MB, else in chunks by TikTok's rules, and an upload that stopped before its last chunk is
 * started again, never published twice.
 */
@QuarkusTest
@TestProfile(TikTokFileUploadTest.FileUpload.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class TikTokFileUploadTest {
  public static class FileUpload implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("postflow.platforms.tiktok.video-source", "FILE_UPLOAD",
          "quarkus.fault-tolerance.\"dev.postflow.publisher.platform.tiktok.TikTokPublisher/publish\".timeout.value", "60");
    }
  }

  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  final TikTokSimulator sim = Simulators.tiktok;

  @BeforeEach
  void setUp() {
    sim.reset();
  }

  private String account() throws Exception {
    return PlatformTestAccounts.insert(cipher, "tiktok", TikTokSimulator.OPEN_ID, "@tester", TikTokSimulator.TOKEN, Map.of());
  }

  @Test
  void aSmallVideoGoesWholeAndALargeOneInChunks() throws Exception {
    MediaRef small = Simulators.media.add("med_tt_small", MediaFiles.mp4(1080, 1920, 15000), "video/mp4", 1080, 1920, 15000L, null);
    PublishResult whole = publish(publisher, request("tiktok", account(), "whole", List.of(small), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(PublishResult.Outcome.published, whole.outcome(), () -> String.valueOf(whole.error()));
    assertEquals(1, sim.uploads.size());
    assertEquals(1, sim.uploads.values().iterator().next().chunksReceived.get(), "up to 64 MB: one chunk");
    assertEquals("FILE_UPLOAD", sim.published.get(0).path("source_info").path("source").asText());
    assertTrue(Simulators.media.calls("GET", "/media/med_tt_small").size() >= 1, "the publisher read the video itself");

    byte[] large = new byte[64 * 1024 * 1024 + 3 * 1024 * 1024];
    MediaRef big = Simulators.media.add("med_tt_big", large, "video/mp4", 1080, 1920, 60000L, null);
    PublishResult chunked = publish(publisher, request("tiktok", account(), "chunked", List.of(big), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(PublishResult.Outcome.published, chunked.outcome(), () -> String.valueOf(chunked.error()));
    var upload = sim.uploads.get(sim.published.get(1).path("publish_id").asText());
    assertEquals(6, upload.chunksReceived.get(), "floor(67 MB / 10 MB) chunks, the last taking the rest");
    assertTrue(upload.complete());
  }

  @Test
  void anInboxUploadSendsTheBytesToTheInboxEndpoint() throws Exception {
    MediaRef small = Simulators.media.add("med_tt_inbox", MediaFiles.mp4(1080, 1920, 15000), "video/mp4", 1080, 1920, 15000L, null);
    PublishResult sent = publish(publisher, request("tiktok", account(), "to the inbox", List.of(small), Map.of("post_mode", "MEDIA_UPLOAD")));
    assertEquals(PublishResult.Outcome.published, sent.outcome(), () -> String.valueOf(sent.error()));
    assertEquals(1, sim.calls("POST", "/v2/post/publish/inbox/video/init/").size());
    assertEquals(1, sim.inbox.size());
    assertEquals("FILE_UPLOAD", sim.inbox.get(0).path("source_info").path("source").asText());
    assertFalse(sim.inbox.get(0).has("post_info"));
    assertTrue(sim.uploads.get(sent.platformPostId()).complete(), "every byte reached the upload_url");
    assertTrue(sim.published.isEmpty());
  }

  @Test
  void anUploadCutBeforeItsLastChunkStartsAgainAndPublishesOnce() throws Exception {
    byte[] large = new byte[64 * 1024 * 1024 + 3 * 1024 * 1024];
    MediaRef big = Simulators.media.add("med_tt_cut", large, "video/mp4", 1080, 1920, 60000L, null);
    sim.failNext("/upload/", "server_error");   // the first chunk of the first upload: 503
    PublishResult result = publish(publisher, request("tiktok", account(), "cut", List.of(big), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(2, sim.uploads.size(), "a second init: the first upload could never become a post");
    assertEquals(1, sim.published.size(), "published once");
    assertEquals(1, sim.uploads.values().stream().filter(u -> !u.complete()).count(), "the first upload stays incomplete");
    assertFalse(sim.published.get(0).path("publish_id").asText().isEmpty());
  }
}
