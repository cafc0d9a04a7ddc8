package dev.postflow.publisher.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How each platform's access token is kept alive (docs/platforms, "OAuth" of each platform), as data:
 * OAuth 2.0 refresh grants (X, TikTok, LinkedIn, Pinterest rotate the refresh token; Google does not), Meta's own
 * long-lived token refresh (Instagram, Threads: only once the token is 24 h old, before its 60 days end), or nothing
 * (Facebook Page tokens and Mastodon tokens do not expire; Bluesky app-password sessions are kept by its adapter,
 * while its atproto OAuth sessions are refreshed here, with DPoP and the client's assertion).
 */
public record TokenRules(String platform, Kind kind, Duration refreshBefore, Duration minimumAge) {
  public enum Kind { OAUTH2_REFRESH, META_LONG_LIVED }

  public static final Map<String, TokenRules> BY_PLATFORM = Map.of(
      "x", new TokenRules("x", Kind.OAUTH2_REFRESH, Duration.ofMinutes(15), Duration.ZERO),
      "tiktok", new TokenRules("tiktok", Kind.OAUTH2_REFRESH, Duration.ofMinutes(15), Duration.ZERO),
      "youtube", new TokenRules("youtube", Kind.OAUTH2_REFRESH, Duration.ofMinutes(10), Duration.ZERO),
      "google_business", new TokenRules("google_business", Kind.OAUTH2_REFRESH, Duration.ofMinutes(10), Duration.ZERO),
      "linkedin", new TokenRules("linkedin", Kind.OAUTH2_REFRESH, Duration.ofDays(7), Duration.ZERO),
      "pinterest", new TokenRules("pinterest", Kind.OAUTH2_REFRESH, Duration.ofDays(3), Duration.ZERO),
      "instagram", new TokenRules("instagram", Kind.META_LONG_LIVED, Duration.ofDays(10), Duration.ofHours(24)),
      "threads", new TokenRules("threads", Kind.META_LONG_LIVED, Duration.ofDays(10), Duration.ofHours(24)),
      // atproto OAuth sessions (app-password accounts have no token expiry and keep their sessions in the adapter)
      "bluesky", new TokenRules("bluesky", Kind.OAUTH2_REFRESH, Duration.ofMinutes(5), Duration.ZERO));

  /** The longest refreshBefore: accounts expiring later than this are not looked at. */
  public static final Duration LOOK_AHEAD = Duration.ofDays(10);

  /** Whether a token this platform rejected at publish time can be refreshed at once (OAuth 2.0 refresh tokens). */
  public static boolean refreshesOnRejection(String platform) {
    TokenRules rules = BY_PLATFORM.get(platform);
    return rules != null && rules.kind() == Kind.OAUTH2_REFRESH;
  }

  /** Due when it expires within refreshBefore and (Meta) is old enough to be refreshed. */
  public boolean due(Instant expiresAt, Instant issuedAt, Instant now) {
    if (expiresAt == null) return false;
    boolean expiringSoon = expiresAt.isBefore(now.plus(refreshBefore));
    boolean oldEnough = issuedAt == null || !issuedAt.plus(minimumAge).isAfter(now);
    return expiringSoon && oldEnough;
  }
}
