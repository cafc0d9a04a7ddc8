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
    Boolean requiresApproval) {

  public record TargetRequest(String accountId, String text, List<String> mediaIds, Map<String, Object> platformOptions) {}
}
