package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One claimed target to publish. {@code requestId} is unique per target and attempt
 * ({@code <target id>.<attempt>}); the publisher's ledger is keyed by it, so a redelivered request
 * never reaches the platform twice.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PublishRequest(
    String requestId,
    String postId,
    String targetId,
    String workspaceId,
    String accountId,
    String platform,
    int attempt,
    String text,
    List<String> mediaIds,
    Map<String, Object> platformOptions,
    List<MediaRef> media) {
  /** The media in the order of {@code mediaIds}; never null. */
  public List<MediaRef> mediaOrEmpty() {
    return media == null ? List.of() : media;
  }
}
