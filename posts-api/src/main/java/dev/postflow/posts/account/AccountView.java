package dev.postflow.posts.account;

import java.time.Instant;
import java.util.Map;

/**
 * An account as the API shows it. Tokens are never part of it. {@code oauthAppId}: the workspace's own app it was
 * connected through (null: the deployment's).
 */
public record AccountView(
    String id,
    String platform,
    String externalId,
    String handle,
    String status,
    Instant tokenExpiresAt,
    Map<String, Object> health,
    Map<String, Object> platformFields,
    String oauthAppId,
    Instant createdAt,
    Instant updatedAt) {}
