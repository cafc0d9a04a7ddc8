package dev.postflow.posts.post;

import java.util.Map;

/**
 * What each platform accepts. One row per platform; the rules are data, not code paths.
 * Only the platforms with a publisher today are listed (see AccountService.SUPPORTED_PLATFORMS).
 */
public record PlatformRules(String platform, int maxTextCodePoints, int maxMedia, boolean textRequired) {
  public static final Map<String, PlatformRules> BY_PLATFORM = Map.of(
      "sandbox", new PlatformRules("sandbox", 5000, 10, false));

  /** Sandbox behaviours implemented by the built-in sandbox provider (contract section 7). */
  public static boolean isSandboxOutcome(String outcome) {
    return "published".equals(outcome) || outcome.startsWith("failed:") && outcome.length() > "failed:".length();
  }
}
