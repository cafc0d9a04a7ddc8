package dev.postflow.contract.platform;

/** The unit a platform counts its text limit in. */
public enum TextUnit {
  /** Unicode code points (what most platforms call characters). */
  CODE_POINTS,
  /** Extended grapheme clusters: an emoji ZWJ family or a flag is one (Bluesky, together with a UTF-8 byte cap). */
  GRAPHEMES,
  /** twitter-text v3 weighted length: CJK and emoji 2, every URL 23 (X). */
  X_WEIGHTED,
  /** Code points, every URL counted as 23 (Mastodon's characters_reserved_per_url). */
  MASTODON,
  /** Characters, but an emoji counts as its UTF-8 bytes (Threads). */
  THREADS,
  /** UTF-16 code units (TikTok's "runes"). */
  UTF16,
  /** UTF-8 bytes (YouTube description). */
  UTF8_BYTES
}
