package dev.postflow.posts.account;

/**
 * "Bring your own token": credentials the caller already holds for the platform. {@code accessTokenSecret}: X's OAuth
 * 1.0a user context (the access token and its secret, signing every request with the app's consumer key and secret).
 */
public record ConnectAccountRequest(
    String platform,
    String externalId,
    String handle,
    String accessToken,
    String refreshToken,
    String expiresAt,
    String instanceUrl,
    String pdsUrl,
    String accessTokenSecret) {}
