package dev.postflow.posts.media;

import java.time.Instant;

/** A media file as the API shows it (contract section 3). */
public record MediaView(String id, String status, String mimeType, long sizeBytes, Integer width, Integer height, Long durationMs,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer pages,
    String altText, String sourceUrl, String error, Instant createdAt) {
  static MediaView of(Media media) {
    return new MediaView(media.id, media.status, media.mimeType, media.sizeBytes, media.width, media.height, media.durationMs,
        media.pages, media.altText, media.sourceUrl, media.error, media.createdAt);
  }
}
