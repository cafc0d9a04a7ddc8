package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * What happened to one publish request, or to one unpublish request ({@code unpublished}: the post is no longer on the
 * platform; {@code unpublish_failed}: it still is, {@code error} says why). posts-api applies it only if the target
 * is still waiting for exactly this request.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PublishResult(
    String requestId,
    String postId,
    String targetId,
    Outcome outcome,
    String platformPostId,
    String permalink,
    Instant publishedAt,
    TargetError error,
    Instant startedAt,
    long durationMs,
    Integer httpStatus) {

  public enum Outcome { published, failed, unconfirmed, unpublished, unpublish_failed, edited, edit_failed }
}
