package dev.postflow.posts.oauthapp;

/**
 * The workspace's own app on a platform: the client id and secret it registered there (for X also the OAuth 1.0a
 * consumer key and secret, the "API key and secret", to sign the requests of accounts connected with an access token
 * and its secret). A public client (PKCE, no secret) leaves client_secret out.
 */
public record OAuthAppRequest(String clientId, String clientSecret, String consumerKey, String consumerSecret) {}
