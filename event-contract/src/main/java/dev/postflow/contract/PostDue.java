package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The scheduler's hand-over: this version of this post's schedule has reached its time (database clock). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PostDue(String postId, long scheduleVersion, Instant dueAt, Instant handedOverAt) {}
