package dev.postflow.posts.account;

/** "Bring your own token": credentials the caller already holds for the platform. */
public record ConnectAccountRequest(
    String platform,
    String externalId,
    String handle,
    String accessToken,
    String refreshToken,
    String expiresAt,
    String instanceUrl,
    String pdsUrl) {}
