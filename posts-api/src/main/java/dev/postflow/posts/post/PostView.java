package dev.postflow.posts.post;

import dev.postflow.contract.TargetError;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A post as the API, webhooks and the Kafka stream show it. */
public record PostView(
    String id,
    String status,
    long version,
    String text,
    List<String> mediaIds,
    Map<String, Object> platformOptions,
    Instant scheduledAt,
    String timeZone,
    String queueId,
    Instant publishedAt,
    String externalId,
    Map<String, Object> metadata,
    /** Only while the post is rejected: the reviewer's reason. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String rejectionReason,
    /** The API key that approved or rejected the post, and when (posts created for approval). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String reviewedBy,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Instant reviewedAt,
    /** The repeats still to come after this post ("repost" when it was created or edited). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Repost repost,
    /** A repeat: the first post of its chain. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String repostOf,
    /** The repeat made once this post was published. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String repostedAs,
    List<TargetView> targets,
    Instant createdAt,
    Instant updatedAt) {

  public record TargetView(
      String id,
      String accountId,
      String platform,
      String status,
      String text,
      List<String> mediaIds,
      Map<String, Object> platformOptions,
      String platformPostId,
      String permalink,
      Instant publishedAt,
      Instant unpublishedAt,
      /** When the platform last took an edit of the text (POST /edit). */
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Instant editedAt,
      int attempts,
      TargetError error) {}
}
