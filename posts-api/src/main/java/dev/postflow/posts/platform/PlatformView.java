package dev.postflow.posts.platform;

import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.contract.platform.PlatformRules.OptionRule;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a platform takes, as posts-api checks it before a post is stored (the same rules table the publishers read):
 * text limits in the platform's own unit, media counts, types, sizes and durations, and its options. A caller can show
 * these limits in its own editor instead of learning them from a 400. {@code unpublish}: whether a post there can be
 * taken down again through POST /v1/posts/{id}/unpublish; {@code edit}: whether its text can be changed once published
 * (POST /v1/posts/{id}/edit).
 */
public record PlatformView(String platform, Text text, Media media, List<Option> options, boolean threads, boolean unpublish,
    boolean edit) {
  /** {@code unit}: how the limit counts (code_points, graphemes, x_weighted, mastodon, threads, utf16, utf8_bytes). */
  public record Text(String unit, int max, Integer maxBytes, boolean required, Integer maxHashtags, Integer maxMentions, Integer maxLinks) {}

  /** {@code mixed}: images and videos together in one post (a carousel); durations in milliseconds, null where unbounded. */
  public record Media(int min, int maxImages, int maxVideos, boolean mixed, List<String> imageTypes, long maxImageBytes,
                      List<String> videoTypes, long maxVideoBytes, Long minVideoMs, Long maxVideoMs, Documents documents) {}

  /** Documents (PDF, PowerPoint, Word) where the platform takes them: one, alone, within a size and page count. */
  public record Documents(List<String> types, long maxBytes, int maxPages) {}

  /**
   * {@code kind}: text (one of {@code allowed}, or at most {@code max_length} characters), flag (true or false), posts (a
   * thread's follow-up posts, at most {@code max_items}), captions (caption files of the video, at most {@code max_items}).
   */
  public record Option(String name, String kind, boolean required, List<String> allowed, Integer maxLength, Integer maxItems, String description) {}

  public static PlatformView of(PlatformRules rules) {
    Text text = new Text(rules.textUnit().name().toLowerCase(Locale.ROOT), rules.maxText(), positive(rules.maxTextBytes()),
        rules.textRequired(), positive(rules.maxHashtags()), positive(rules.maxMentions()), positive(rules.maxLinks()));
    Documents documents = PlatformRules.DOCUMENT_PLATFORMS.contains(rules.platform())
        ? new Documents(sorted(PlatformRules.DOCUMENT_TYPES), PlatformRules.MAX_DOCUMENT_BYTES, PlatformRules.MAX_DOCUMENT_PAGES) : null;
    Media media = new Media(rules.minMedia(), rules.maxImages(), rules.maxVideos(), rules.mixed(), sorted(rules.imageTypes()),
        rules.maxImageBytes(), sorted(rules.videoTypes()), rules.maxVideoBytes(), positive(rules.minVideoMs()), positive(rules.maxVideoMs()), documents);
    List<Option> options = rules.options().stream().map(PlatformView::option).toList();
    boolean threads = rules.options().stream().anyMatch(o -> o.kind() == OptionRule.Kind.POSTS);
    return new PlatformView(rules.platform(), text, media, options, threads, PlatformRules.unpublishRefusal(rules.platform()) == null,
        PlatformRules.editRefusal(rules.platform()) == null);
  }

  private static Option option(OptionRule rule) {
    return new Option(rule.name(), rule.kind().name().toLowerCase(Locale.ROOT), rule.required(), rule.allowed() == null ? null : sorted(rule.allowed()),
        positive(rule.maxLength()), positive(rule.maxItems()), rule.description());
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private static Integer positive(int value) {
    return value > 0 ? value : null;
  }

  private static Long positive(long value) {
    return value > 0 ? value : null;
  }
}
