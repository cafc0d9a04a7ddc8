package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Change the text of one published target on its platform ({@code POST /v1/posts/{id}/edit}). {@code requestId} is
 * {@code <target id>.<attempt>} like a publish request's; {@code platformPostId} is the post the target published (a
 * thread's first post: its replies keep their text); {@code platformOptions} are the target's options as published
 * (the sandbox reads {@code edit_outcome}). An edit is safe to repeat: setting the same text twice changes nothing.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EditRequest(
    String requestId,
    String postId,
    String targetId,
    String workspaceId,
    String accountId,
    String platform,
    int attempt,
    String platformPostId,
    String text,
    Map<String, Object> platformOptions) {}
