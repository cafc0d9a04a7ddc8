package dev.postflow.contract.platform;

import java.util.Set;

/**
 * Whether an account's access token is renewed without the user (publisher-service's TokenRules do it): by an OAuth
 * 2.0 refresh grant where the account has a refresh token, or by Meta's own refresh of Instagram's and Threads'
 * long-lived tokens. Any other token with an expiry ends there (LinkedIn without partner refresh tokens gives 60-day
 * tokens and none to refresh them; a token brought without its refresh token): the account must be connected again
 * before, which posts-api's checks and publisher-service's account.token_expiring warn about.
 */
public final class TokenRenewal {
  private TokenRenewal() {}

  /** Platforms whose tokens an OAuth 2.0 refresh grant renews (Bluesky: atproto OAuth sessions). */
  public static final Set<String> REFRESH_GRANT = Set.of("x", "tiktok", "youtube", "google_business", "linkedin", "pinterest", "bluesky");

  /** Platforms whose long-lived token renews itself (Meta's refresh_access_token). */
  public static final Set<String> SELF_RENEWING = Set.of("instagram", "threads");

  /** Whether a token of this platform, with or without a refresh token, is renewed before it expires. */
  public static boolean automatic(String platform, boolean hasRefreshToken) {
    return SELF_RENEWING.contains(platform) || hasRefreshToken && REFRESH_GRANT.contains(platform);
  }
}
