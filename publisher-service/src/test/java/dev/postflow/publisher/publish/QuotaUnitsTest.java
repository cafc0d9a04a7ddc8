package dev.postflow.publisher.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.publish.ProviderQuotas.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A quota counts posts, and a thread is several: when the next publish of so many posts fits. */
class QuotaUnitsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final Quota FIVE_PER_MINUTE = new Quota(5, Duration.ofMinutes(1));

  private static Instant ago(int seconds) {
    return NOW.minusSeconds(seconds);
  }

  @Test
  void aPublishFitsWhileThePostsInTheWindowLeaveRoomForAllOfIt() {
    assertNull(ProviderQuotas.freeAt(List.of(), List.of(), 5, FIVE_PER_MINUTE, NOW));
    assertNull(ProviderQuotas.freeAt(List.of(ago(10), ago(20)), List.of(1, 2), 2, FIVE_PER_MINUTE, NOW), "3 posts out, 2 more fit");
    assertNull(ProviderQuotas.freeAt(List.of(ago(10), ago(70)), List.of(1, 4), 4, FIVE_PER_MINUTE, NOW), "the thread of 4 has left the window");
  }

  @Test
  void aThreadWaitsUntilEnoughOfTheOldestPostsHaveLeft() {
    // newest first: a post 10 s ago, a thread of 3 posts 30 s ago, a post 50 s ago: 5 in the window
    List<Instant> at = List.of(ago(10), ago(30), ago(50));
    List<Integer> posts = List.of(1, 3, 1);
    assertEquals(ago(50).plusSeconds(60), ProviderQuotas.freeAt(at, posts, 1, FIVE_PER_MINUTE, NOW), "one post: when the oldest leaves");
    assertEquals(ago(30).plusSeconds(60), ProviderQuotas.freeAt(at, posts, 2, FIVE_PER_MINUTE, NOW), "two: when the thread leaves too");
    assertEquals(ago(10).plusSeconds(60), ProviderQuotas.freeAt(at, posts, 5, FIVE_PER_MINUTE, NOW), "five: when all have left");
    assertEquals(ago(10).plusSeconds(60), ProviderQuotas.freeAt(at, posts, 6, FIVE_PER_MINUTE, NOW),
        "more than the quota ever holds: once the window is empty");
    assertNull(ProviderQuotas.freeAt(List.of(), List.of(), 6, FIVE_PER_MINUTE, NOW), "and at once when it is");
  }

  @Test
  void aThreadsRepliesCountWhereThePlatformCountsThemWithPosts() {
    Map<String, Object> thread = Map.of("thread", List.of("2/3", Map.of("text", "3/3", "media_ids", List.of("med_1"))));
    assertEquals(3, ProviderQuotas.units(request("x", thread)));
    assertEquals(3, ProviderQuotas.units(request("bluesky", thread)));
    assertEquals(1, ProviderQuotas.units(request("threads", thread)), "Threads counts replies apart");
    assertEquals(1, ProviderQuotas.units(request("x", Map.of())));
  }

  private static PublishRequest request(String platform, Map<String, Object> options) {
    return new PublishRequest("tgt_1.1", "post_1", "tgt_1", "ws_1", "acc_1", platform, 1, "1/3", List.of(), options, List.of(), null);
  }
}
