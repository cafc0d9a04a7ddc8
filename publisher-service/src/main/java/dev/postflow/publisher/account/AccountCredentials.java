package dev.postflow.publisher.account;

import java.util.Map;

/**
 * What a platform call needs of an account (the handle may be null). The token is decrypted only in memory.
 * {@code dpopKey}: the private JWK an atproto OAuth session's tokens are bound to (Bluesky), else null.
 * {@code tokenSecret}: an OAuth 1.0a access token's secret (X), else null.
 * {@code oauthAppId}: the workspace's own OAuth app the account was connected through, else null (the deployment's);
 * {@code consumerKey}, {@code consumerSecret}: that app's OAuth 1.0a keys (X), which sign the account's requests.
 */
public record AccountCredentials(String accountId, String platform, String externalId, String handle, String accessToken, String status,
    Map<String, Object> platformFields, String dpopKey, String tokenSecret, String oauthAppId, String consumerKey, String consumerSecret) {
  /** The same account with a token refreshed after the platform rejected this one. */
  public AccountCredentials withAccessToken(String token) {
    return new AccountCredentials(accountId, platform, externalId, handle, token, status, platformFields, dpopKey, tokenSecret, oauthAppId,
        consumerKey, consumerSecret);
  }

  @Override
  public String toString() {
    return "AccountCredentials[" + accountId + ", " + platform + ", token hidden]";
  }
}
