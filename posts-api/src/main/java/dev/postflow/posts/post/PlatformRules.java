package dev.postflow.posts.post;

import java.util.Map;

/**
 * What each platform accepts. One row per platform; the rules are data, not code paths.
 * Only the platforms with a publisher today are listed (see AccountService.SUPPORTED_PLATFORMS).
 */
public record PlatformRules(String platform, int maxTextCodePoints, int maxMedia, boolean textRequired) {
  public static final Map<String, PlatformRules> BY_PLATFORM = Map.of(
      "sandbox", new PlatformRules("sandbox", 5000, 10, false));

  /** Sandbox behaviours of the built-in sandbox provider (contract section 7). */
  public static final java.util.Set<String> SANDBOX_OUTCOMES =
      java.util.Set.of("published", "rate_limited_then_published", "server_error_then_published", "timeout_after_publish");

  public static boolean isSandboxOutcome(String outcome) {
    return SANDBOX_OUTCOMES.contains(outcome) || outcome.startsWith("failed:") && outcome.length() > "failed:".length();
  }
}
