package dev.postflow.publisher.platform.linkedin;

/**
 * LinkedIn's "little" text format: reserved characters must be backslash-escaped, or LinkedIn silently cuts the post
 * at the first one while still answering 201 (docs/platforms §5).
 */
final class LittleText {
  private static final String RESERVED = "|{}@[]()<>#\\*_~";

  private LittleText() {}

  static String escape(String text) {
    if (text == null) return "";
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (RESERVED.indexOf(c) >= 0) out.append('\\');
      out.append(c);
    }
    return out.toString();
  }

  static String unescape(String text) {
    if (text == null) return "";
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && RESERVED.indexOf(text.charAt(i + 1)) >= 0) continue;
      out.append(c);
    }
    return out.toString();
  }
}
