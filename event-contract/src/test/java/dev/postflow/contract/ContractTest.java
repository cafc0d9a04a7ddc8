package dev.postflow.contract;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.postflow.contract.crypto.SecretCipher;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContractTest {
  private final ObjectMapper json =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Test
  void eventsAreSnakeCaseAndRoundTrip() throws Exception {
    PublishRequest request = new PublishRequest("tgt_1.1", "post_1", "tgt_1", "ws_1", "acc_1", "sandbox", 1, "hi",
        List.of("med_1"), Map.of("sandbox", Map.of("outcome", "published")),
        List.of(new MediaRef("med_1", "image/jpeg", 1234, 640, 480, null, "https://media.example/med_1?sig=x", "a cat")), null);
    String text = json.writeValueAsString(request);
    assertTrue(text.contains("\"request_id\":\"tgt_1.1\""), text);
    assertTrue(text.contains("\"platform_options\""), text);
    assertTrue(text.contains("\"mime_type\":\"image/jpeg\""), text);
    assertEquals(request, json.readValue(text, PublishRequest.class));
    assertTrue(!text.contains("option_media"), "left out when no option names a media: " + text);
    MediaRef thumbnail = new MediaRef("med_2", "image/png", 99, 1280, 720, null, "https://media.example/med_2?sig=y", null);
    PublishRequest withThumbnail = new PublishRequest("tgt_2.1", "post_2", "tgt_2", "ws_1", "acc_2", "youtube", 1, "hi", List.of(),
        Map.of("thumbnail", "med_2"), List.of(), Map.of("med_2", thumbnail));
    String thumbnailText = json.writeValueAsString(withThumbnail);
    assertTrue(thumbnailText.contains("\"option_media\":{\"med_2\":{\"id\":\"med_2\""), thumbnailText);
    assertEquals(withThumbnail, json.readValue(thumbnailText, PublishRequest.class));
    assertEquals(thumbnail, withThumbnail.mediaNamedBy("thumbnail"));

    ScheduleRequest schedule = new ScheduleRequest("post_1", 3, Instant.parse("2026-06-01T09:00:00Z"));
    String scheduleText = json.writeValueAsString(schedule);
    assertEquals("{\"post_id\":\"post_1\",\"schedule_version\":3,\"due_at\":\"2026-06-01T09:00:00Z\"}", scheduleText);
  }

  @Test
  void lifecycleEventBodyHasExactlyTheWebhookFields() throws Exception {
    LifecycleEvent event = new LifecycleEvent("post.published", "evt_1", Instant.parse("2026-06-01T09:00:00Z"),
        json.readTree("{\"id\":\"post_1\"}"), "ws_1");
    assertEquals("{\"type\":\"post.published\",\"id\":\"evt_1\",\"timestamp\":\"2026-06-01T09:00:00Z\",\"data\":{\"id\":\"post_1\"}}",
        json.writeValueAsString(event));
  }

  @Test
  void idsArePrefixedUniqueAndSortByTime() throws Exception {
    Set<String> seen = new HashSet<>();
    String previous = Ids.newId("post");
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.newId("post");
      assertTrue(id.matches("post_[0-9A-HJKMNP-TV-Z]{26}"), id);
      assertTrue(seen.add(id));
    }
    Thread.onSpinWait();
    long before = System.currentTimeMillis();
    while (System.currentTimeMillis() == before) Thread.onSpinWait();
    assertTrue(Ids.newId("post").substring(5, 15).compareTo(previous.substring(5, 15)) > 0);
  }

  @Test
  void secretsRoundTripAndAreNotPlaintext() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    SecretCipher cipher = new SecretCipher(key);
    String stored = cipher.encrypt("EAAB-token");
    assertFalse(stored.contains("EAAB"));
    assertNotEquals(stored, cipher.encrypt("EAAB-token"), "a fresh nonce each time");
    assertEquals("EAAB-token", cipher.decrypt(stored));
    assertThrows(IllegalArgumentException.class, () -> new SecretCipher("c2hvcnQ="));
    SecretCipher other = new SecretCipher(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));
    assertThrows(IllegalStateException.class, () -> other.decrypt(stored));
  }
}
