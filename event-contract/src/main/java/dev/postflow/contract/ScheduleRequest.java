package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * Tells the scheduler when a post is due. A newer {@code scheduleVersion} replaces an older one;
 * {@code dueAt == null} means the post is no longer due (cancelled, back to draft or published now).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScheduleRequest(String postId, long scheduleVersion, Instant dueAt) {}
