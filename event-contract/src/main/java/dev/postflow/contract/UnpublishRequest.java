package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Take one target's post down from its platform ({@code POST /v1/posts/{id}/unpublish}). {@code requestId} is
 * {@code <target id>.<attempt>} like a publish request's; {@code platformPostId} is the post the target published
 * (the publisher finds a thread's replies and other parts by the target's handles). {@code platformOptions} are the
 * target's options as published (they say whether it had a thread; the sandbox reads {@code unpublish_outcome}).
 * A delete is safe to repeat: a post already gone counts as taken down.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UnpublishRequest(
    String requestId,
    String postId,
    String targetId,
    String workspaceId,
    String accountId,
    String platform,
    int attempt,
    String platformPostId,
    Map<String, Object> platformOptions) {}
