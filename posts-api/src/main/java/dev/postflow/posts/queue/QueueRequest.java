package dev.postflow.posts.queue;

import java.util.List;

/** The body of POST /v1/queues and PATCH /v1/queues/{id} (there, every field is optional). */
public record QueueRequest(String name, String timeZone, List<SlotRule> slots, Integer capacity) {
  /** Times of day (HH:MM, the queue's local time) on days of the week (mon … sun). */
  public record SlotRule(List<String> days, List<String> times) {}
}
