package dev.postflow.posts.queue;

import java.time.Instant;
import java.util.List;

public record QueueView(String id, String name, String timeZone, List<QueueRequest.SlotRule> slots, int capacity, Instant createdAt,
    Instant updatedAt) {
  /** One slot of GET /v1/queues/{id}/slots: when, in the queue's local time too, and how many posts it holds. */
  public record Slot(Instant at, String local, long taken, boolean free) {}
}
