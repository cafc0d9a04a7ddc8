package dev.postflow.posts.account;

/**
 * "Bring your own token": credentials the caller already holds for the platform. {@code accessTokenSecret}: X's OAuth
 * 1.0a user context (the access token and its secret, signing every request with the app's consumer key and secret).
 * {@code oauthAppId}: the workspace's own app that issued the token (PUT /v1/oauth-apps/{platform}); by default the
 * workspace's active app on the platform, else the deployment's.
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
    String accessTokenSecret,
    String oauthAppId) {}
