package dev.postflow.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One claimed target to publish. {@code requestId} is unique per target and attempt
 * ({@code <target id>.<attempt>}); the publisher's ledger is keyed by it, so a redelivered request
 * never reaches the platform twice. {@code optionMedia}: the media an option names (a YouTube thumbnail), by media id,
 * left out of the JSON when there are none (so publishers built before it read these requests as before).
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
    List<MediaRef> media,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, MediaRef> optionMedia) {
  /** The media an option names (a YouTube {@code thumbnail}'s media id), with signed links; null when none. */
  public MediaRef mediaNamedBy(String option) {
    Object id = platformOptions == null ? null : platformOptions.get(option);
    return id == null || optionMedia == null ? null : optionMedia.get(String.valueOf(id));
  }

  /** The media in the order of {@code mediaIds}; never null. */
  public List<MediaRef> mediaOrEmpty() {
    return media == null ? List.of() : media;
  }
}
