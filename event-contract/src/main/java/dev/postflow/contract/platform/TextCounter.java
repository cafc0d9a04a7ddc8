package dev.postflow.contract.platform;

import com.twitter.twittertext.TwitterTextParser;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Counts text the way each platform does ({@link TextUnit}), and the hashtags, mentions and links in it. */
public final class TextCounter {
  private static final Pattern GRAPHEME = Pattern.compile("\\X");
  /** Links as the platforms detect them in plain text: an http(s) URL up to the next white space. */
  public static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
  private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_&])#[\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*");
  private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_])@[A-Za-z0-9_][A-Za-z0-9_.\\-]*(?:@[A-Za-z0-9.\\-]+)?");

  private TextCounter() {}

  public static int length(TextUnit unit, String text) {
    if (text == null || text.isEmpty()) return 0;
    return switch (unit) {
      case CODE_POINTS -> text.codePointCount(0, text.length());
      case GRAPHEMES -> graphemes(text);
      case X_WEIGHTED -> TwitterTextParser.parseTweet(text).weightedLength;
      case MASTODON -> mastodon(text);
      case THREADS -> threads(text);
      case UTF16 -> text.length();
      case UTF8_BYTES -> utf8Bytes(text);
    };
  }

  public static int graphemes(String text) {
    Matcher matcher = GRAPHEME.matcher(text);
    int count = 0;
    while (matcher.find()) count++;
    return count;
  }

  public static int utf8Bytes(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  public static int hashtags(String text) {
    return count(HASHTAG, text);
  }

  public static int mentions(String text) {
    return count(MENTION, text);
  }

  /** Distinct links (Threads counts unique links). */
  public static Set<String> links(String text) {
    Set<String> links = new LinkedHashSet<>();
    if (text == null) return links;
    Matcher matcher = URL.matcher(text);
    while (matcher.find()) links.add(trimTrailingPunctuation(matcher.group()));
    return links;
  }

  public static String trimTrailingPunctuation(String url) {
    int end = url.length();
    while (end > 0 && ".,;:!?)]}'".indexOf(url.charAt(end - 1)) >= 0) end--;
    return url.substring(0, end);
  }

  private static int mastodon(String text) {
    int length = 0;
    int from = 0;
    Matcher matcher = URL.matcher(text);
    while (matcher.find()) {
      length += text.codePointCount(from, matcher.start()) + 23;
      from = matcher.end();
    }
    return length + text.codePointCount(from, text.length());
  }

  private static int threads(String text) {
    Matcher matcher = GRAPHEME.matcher(text);
    int length = 0;
    while (matcher.find()) {
      String cluster = matcher.group();
      length += isEmoji(cluster) ? utf8Bytes(cluster) : cluster.codePointCount(0, cluster.length());
    }
    return length;
  }

  /** An emoji cluster: holds a pictographic code point, a regional indicator, or an emoji presentation selector. */
  static boolean isEmoji(String cluster) {
    return cluster.codePoints().anyMatch(cp -> (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF)
        || (cp >= 0x1F1E6 && cp <= 0x1F1FF) || cp == 0xFE0F || (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x200D);
  }

  private static int count(Pattern pattern, String text) {
    if (text == null) return 0;
    Matcher matcher = pattern.matcher(text);
    int count = 0;
    while (matcher.find()) count++;
    return count;
  }
}
