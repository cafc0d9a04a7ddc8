package dev.postflow.posts.post;

import java.util.List;
import java.util.Map;

/** The body of POST /v1/posts (and of /v1/posts/validate). Times are strings so naive times can be refused clearly. */
public record PostRequest(
    String text,
    List<String> accountIds,
    List<TargetRequest> targets,
    List<String> mediaIds,
    Map<String, Object> platformOptions,
    String scheduledAt,
    String timeZone,
    String queueId,
    Boolean publishNow,
    Boolean draft,
    String externalId,
    Map<String, Object> metadata,
    Boolean requiresApproval,
    Repost repost,
    Boolean allowDuplicate) {

  /**
   * The request as a key that only submits for approval makes it: a post that would go out (scheduled_at, queue_id,
   * publish_now) waits for approval; a draft stays a draft.
   */
  public PostRequest submittedForApproval() {
    boolean goesOut = !Boolean.TRUE.equals(draft) && (scheduledAt != null || queueId != null || Boolean.TRUE.equals(publishNow));
    if (!goesOut || Boolean.TRUE.equals(requiresApproval)) return this;
    return new PostRequest(text, accountIds, targets, mediaIds, platformOptions, scheduledAt, timeZone, queueId, publishNow, draft, externalId,
        metadata, true, repost, allowDuplicate);
  }

  public record TargetRequest(String accountId, String text, List<String> mediaIds, Map<String, Object> platformOptions) {}
}
