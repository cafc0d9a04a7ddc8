package dev.postflow.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A media file of a post as a publisher sees it: what posts-api read from the file itself, and a signed URL that
 * serves its bytes until {@code urlExpiresAt} (platforms that pull media get this URL; the others are uploaded
 * from it). Width, height and duration are null where they do not apply or could not be read.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MediaRef(String id, String mimeType, long sizeBytes, Integer width, Integer height, Long durationMs, String url,
    String altText) {
  @JsonIgnore
  public boolean isVideo() {
    return mimeType != null && mimeType.startsWith("video/");
  }

  /** A document (PDF, PowerPoint, Word): LinkedIn's document posts. */
  @JsonIgnore
  public boolean isDocument() {
    return dev.postflow.contract.platform.PlatformRules.DOCUMENT_TYPES.contains(mimeType);
  }

  @JsonIgnore
  public boolean isImage() {
    return mimeType != null && mimeType.startsWith("image/");
  }
}
