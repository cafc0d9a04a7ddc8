package dev.postflow.contract.platform;

import dev.postflow.contract.MediaRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks one target's content against its platform's {@link PlatformRules}: every problem at once, each with the
 * field it concerns ({@code text}, {@code media_ids}, {@code media_ids[2]}, {@code platform_options.youtube.title}).
 */
public final class ContentCheck {
  /** One problem. {@code field} is relative to the target (the caller adds its own prefix). */
  public record Violation(String field, String code, String message, Long limit, Long actual) {}

  private ContentCheck() {}

  public static List<Violation> check(PlatformRules rules, String text, List<MediaRef> media, Map<String, Object> options) {
    return check(rules, text, media, options, null);
  }

  /**
   * The same, and the media options name (a YouTube thumbnail) checked against {@code optionMedia}: the workspace's
   * media found for {@link #optionMediaIds}. A null map skips that check (the caller did not look them up).
   */
  public static List<Violation> check(PlatformRules rules, String text, List<MediaRef> media, Map<String, Object> options,
                                      Map<String, MediaRef> optionMedia) {
    List<Violation> problems = new ArrayList<>();
    checkText(rules, text, media.isEmpty(), problems);
    checkMedia(rules, media, problems);
    checkOptions(rules, options == null ? Map.of() : options, problems);
    checkKinds(rules, media, options == null ? Map.of() : options, problems);
    if (optionMedia != null) checkOptionMedia(rules, options == null ? Map.of() : options, optionMedia, problems);
    return problems;
  }

  /** The media ids a platform's options name (its {@code thumbnail}, its thread's replies' media); empty when none. */
  public static List<String> optionMediaIds(Object options) {
    if (!(options instanceof Map<?, ?> map)) return List.of();
    List<String> ids = new ArrayList<>();
    for (String named : List.of(PlatformRules.THUMBNAIL, PlatformRules.COVER, PlatformRules.LINK_THUMBNAIL)) {
      if (map.get(named) instanceof String id && !id.isBlank()) ids.add(id);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    for (ThreadPost reply : threadPosts(typed)) {
      ids.addAll(reply.mediaIds());
      for (Caption caption : reply.captions()) ids.add(caption.mediaId());
    }
    for (Caption caption : captions(typed)) ids.add(caption.mediaId());
    return ids;
  }

  private static void checkOptionMedia(PlatformRules rules, Map<String, Object> options, Map<String, MediaRef> found, List<Violation> problems) {
    String prefix = "platform_options." + rules.platform() + ".";
    if ("youtube".equals(rules.platform())) {
      checkNamedFile(prefix + PlatformRules.THUMBNAIL, options.get(PlatformRules.THUMBNAIL), found, PlatformRules.THUMBNAIL_TYPES,
          PlatformRules.MAX_THUMBNAIL_BYTES, "a YouTube thumbnail", "an image", problems);
    }
    if ("linkedin".equals(rules.platform())) {
      checkNamedFile(prefix + PlatformRules.LINK_THUMBNAIL, options.get(PlatformRules.LINK_THUMBNAIL), found, rules.imageTypes(),
          rules.maxImageBytes(), "a link card's image", "an image", problems);
    }
    if ("instagram".equals(rules.platform())) {
      checkNamedFile(prefix + PlatformRules.COVER, options.get(PlatformRules.COVER), found, rules.imageTypes(), rules.maxImageBytes(),
          "a reel's cover", "an image", problems);
    }
    checkCaptionFiles(rules, prefix, options.get(PlatformRules.CAPTIONS), found, problems);
    List<ThreadPost> replies = threadPosts(options);
    for (int i = 0; i < replies.size(); i++) {
      String replyPrefix = prefix + PlatformRules.THREAD + "[" + i + "].";
      List<MediaRef> refs = new ArrayList<>();
      List<String> ids = replies.get(i).mediaIds();
      for (int m = 0; m < ids.size(); m++) {
        MediaRef ref = found.get(ids.get(m));
        if (ref == null) {
          problems.add(notFound(replyPrefix + "media_ids[" + m + "]", ids.get(m)));
        } else {
          refs.add(ref);
        }
      }
      if (refs.size() < ids.size()) continue;
      List<Violation> own = new ArrayList<>();
      checkMedia(rules, refs, own);   // a reply takes what a post of the platform takes
      for (Violation v : own) problems.add(new Violation(replyPrefix + v.field(), v.code(), v.message(), v.limit(), v.actual()));
      if (!replies.get(i).captions().isEmpty()) {
        if (refs.stream().noneMatch(MediaRef::isVideo)) {
          problems.add(new Violation(replyPrefix + PlatformRules.CAPTIONS, "not_without_video", "captions belong to a video; this reply has none", null, null));
        }
        checkCaptionFiles(rules, replyPrefix, threadItem(options, i).get(PlatformRules.CAPTIONS), found, problems);
      }
    }
  }

  /** The caption files a captions list names ({@code prefix}captions[i].media_id): WebVTT, within the platform's size. */
  private static void checkCaptionFiles(PlatformRules rules, String prefix, Object captions, Map<String, MediaRef> found, List<Violation> problems) {
    Long maxCaptionBytes = PlatformRules.MAX_CAPTION_BYTES.get(rules.platform());
    if (maxCaptionBytes == null || !(captions instanceof List<?> items)) return;
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> caption)) continue;
      checkNamedFile(prefix + PlatformRules.CAPTIONS + "[" + i + "].media_id", caption.get("media_id"), found, java.util.Set.of(PlatformRules.VTT),
          maxCaptionBytes, rules.platform() + "'s caption file", "a WebVTT file", problems);
    }
  }

  /** Reply {@code i} of the thread option as the caller wrote it (an empty map for a reply given as text). */
  private static Map<?, ?> threadItem(Map<String, Object> options, int i) {
    return options.get(PlatformRules.THREAD) instanceof List<?> items && i < items.size() && items.get(i) instanceof Map<?, ?> reply ? reply : Map.of();
  }

  private static void checkText(PlatformRules rules, String text, boolean noMedia, List<Violation> problems) {
    String p = rules.platform();
    boolean empty = text == null || text.isBlank();
    if (empty && (noMedia || rules.textRequired())) {
      problems.add(new Violation("text", "text_required", noMedia ? "a post needs text or media" : p + " needs text", null, null));
    }
    if (empty) return;
    int length = TextCounter.length(rules.textUnit(), text);
    if (length > rules.maxText()) {
      problems.add(new Violation("text", "text_too_long", p + " allows at most " + rules.maxText() + " " + unitName(rules.textUnit())
          + "; this text has " + length, (long) rules.maxText(), (long) length));
    }
    if (rules.maxTextBytes() > 0) {
      int bytes = TextCounter.utf8Bytes(text);
      if (bytes > rules.maxTextBytes()) {
        problems.add(new Violation("text", "text_too_long", p + " allows at most " + rules.maxTextBytes() + " UTF-8 bytes; this text has " + bytes,
            (long) rules.maxTextBytes(), (long) bytes));
      }
    }
    limit(problems, rules.maxHashtags(), TextCounter.hashtags(text), "too_many_hashtags", p + " allows at most %d hashtags");
    limit(problems, rules.maxMentions(), TextCounter.mentions(text), "too_many_mentions", p + " allows at most %d mentions");
    limit(problems, rules.maxLinks(), TextCounter.links(text).size(), "too_many_links", p + " allows at most %d distinct links");
    if ("youtube".equals(p) && (text.contains("<") || text.contains(">"))) {
      problems.add(new Violation("text", "invalid_character", "YouTube descriptions may not contain '<' or '>'", null, null));
    }
  }

  private static void checkMedia(PlatformRules rules, List<MediaRef> media, List<Violation> problems) {
    String p = rules.platform();
    long images = media.stream().filter(MediaRef::isImage).count();
    long videos = media.stream().filter(MediaRef::isVideo).count();
    if (media.size() < rules.minMedia()) {
      problems.add(new Violation("media_ids", "media_required", p + " needs at least " + rules.minMedia() + " media file"
          + (rules.minMedia() == 1 ? "" : "s"), (long) rules.minMedia(), (long) media.size()));
    }
    if (!rules.mixed() && images > 0 && videos > 0) {
      problems.add(new Violation("media_ids", "media_mixed", p + " takes images or a video, not both in one post", null, null));
    }
    if (rules.mixed()) {
      limit(problems, "media_ids", rules.maxMedia(), media.size(), "too_many_media", p + " allows at most %d media");
    } else {
      if (images > 0) limit(problems, "media_ids", rules.maxImages(), (int) images, "too_many_media", p + " allows at most %d images");
      if (videos > 0) limit(problems, "media_ids", rules.maxVideos(), (int) videos, "too_many_media", p + " allows at most %d videos");
    }
    long documents = media.stream().filter(MediaRef::isDocument).count();
    boolean takesDocuments = PlatformRules.DOCUMENT_PLATFORMS.contains(p);
    if (takesDocuments && documents > 0 && media.size() > 1) {
      problems.add(new Violation("media_ids", "document_not_alone", p + " takes a document alone: one per post, no other media",
          1L, (long) media.size()));
    }
    for (int i = 0; i < media.size(); i++) {
      MediaRef m = media.get(i);
      String field = "media_ids[" + i + "]";
      if (m.isDocument()) {
        if (!takesDocuments) {
          problems.add(new Violation(field, "media_type_not_supported", p + " takes no documents (PDF, PowerPoint, Word); "
              + String.join(", ", PlatformRules.DOCUMENT_PLATFORMS.stream().sorted().toList()) + " does", null, null));
        } else if (m.sizeBytes() > PlatformRules.MAX_DOCUMENT_BYTES) {
          problems.add(new Violation(field, "media_too_large", p + " takes documents up to " + PlatformRules.MAX_DOCUMENT_BYTES + " bytes",
              PlatformRules.MAX_DOCUMENT_BYTES, m.sizeBytes()));
        }
      } else if (m.isImage()) {
        if (!rules.imageTypes().contains(m.mimeType())) {
          problems.add(new Violation(field, "media_type_not_supported", p + (rules.imageTypes().isEmpty() ? " takes no images"
              : " takes images of type " + String.join(", ", rules.imageTypes().stream().sorted().toList())) + ", not " + m.mimeType(), null, null));
        } else if (m.sizeBytes() > rules.maxImageBytes()) {
          problems.add(new Violation(field, "media_too_large", p + " takes images up to " + rules.maxImageBytes() + " bytes",
              rules.maxImageBytes(), m.sizeBytes()));
        }
      } else if (!m.isVideo()) {
        problems.add(new Violation(field, "media_type_not_supported", p + " takes no " + m.mimeType() + " as a post's media"
            + (PlatformRules.VTT.equals(m.mimeType()) ? " (captions go in platform_options." + p + ".captions with their video)" : ""), null, null));
      } else {
        if (!rules.videoTypes().contains(m.mimeType())) {
          problems.add(new Violation(field, "media_type_not_supported", p + (rules.videoTypes().isEmpty() ? " takes no videos"
              : " takes videos of type " + String.join(", ", rules.videoTypes().stream().sorted().toList())) + ", not " + m.mimeType(), null, null));
          continue;
        }
        if (m.sizeBytes() > rules.maxVideoBytes()) {
          problems.add(new Violation(field, "media_too_large", p + " takes videos up to " + rules.maxVideoBytes() + " bytes",
              rules.maxVideoBytes(), m.sizeBytes()));
        }
        if (m.durationMs() != null && rules.minVideoMs() > 0 && m.durationMs() < rules.minVideoMs()) {
          problems.add(new Violation(field, "video_too_short", p + " takes videos of at least " + rules.minVideoMs() + " ms",
              rules.minVideoMs(), m.durationMs()));
        }
        if (m.durationMs() != null && rules.maxVideoMs() > 0 && m.durationMs() > rules.maxVideoMs()) {
          problems.add(new Violation(field, "video_too_long", p + " takes videos of at most " + rules.maxVideoMs() + " ms",
              rules.maxVideoMs(), m.durationMs()));
        }
      }
    }
  }

  /** Rules that hold only for one kind of post of a platform. */
  /** A poll's choices ({@code poll}: "Yes|No|Maybe"), trimmed. */
  public static List<String> pollChoices(Object poll) {
    if (!(poll instanceof String text)) return List.of();
    return java.util.Arrays.stream(text.split("\\|", -1)).map(String::trim).toList();
  }

  /**
   * Polls: 2 to 4 choices of at most {@code maxChoice} characters, the duration option within its range, no media.
   * X [X13]: 25 characters, {@code poll_duration_minutes} 5 to 10,080. Mastodon [MA1]: 50 characters (an instance's
   * default {@code max_characters_per_option}), {@code poll_expires_in} 300 s to 2,629,746 s.
   */
  private record PollRule(int maxChoice, String duration, int minDuration, int maxDuration) {}

  private static final Map<String, PollRule> POLLS = Map.of(
      "x", new PollRule(25, "poll_duration_minutes", 5, 10_080),
      "mastodon", new PollRule(50, "poll_expires_in", 300, 2_629_746),
      // Threads' poll_attachment: 2 to 4 options of 1 to 25 characters, text-only posts; it runs 24 hours (no option)
      "threads", new PollRule(25, null, 0, 0));

  private static void checkPoll(String platform, List<MediaRef> media, Map<String, Object> options, List<Violation> problems) {
    PollRule rule = POLLS.get(platform);
    if (rule == null) return;
    String prefix = "platform_options." + platform + ".";
    if (options.get("poll") instanceof String) {
      List<String> choices = pollChoices(options.get("poll"));
      if (choices.size() < 2 || choices.size() > 4) {
        problems.add(new Violation(prefix + "poll", "poll_choices", "a " + platform + " poll has 2 to 4 choices separated by |", 4L, (long) choices.size()));
      }
      for (String choice : choices) {
        int length = choice.codePointCount(0, choice.length());
        if (length < 1 || length > rule.maxChoice()) {
          problems.add(new Violation(prefix + "poll", "poll_choice_length", "each choice of a " + platform + " poll has 1 to " + rule.maxChoice()
              + " characters: '" + choice + "'", (long) rule.maxChoice(), (long) length));
        }
      }
      if (!media.isEmpty()) problems.add(new Violation("media_ids", "poll_with_media", "a " + platform + " post with a poll cannot have media", 0L, (long) media.size()));
    }
    if (rule.duration() != null && options.get(rule.duration()) instanceof String duration) {
      long value = duration.matches("\\d{1,9}") ? Long.parseLong(duration) : -1;
      if (value < rule.minDuration() || value > rule.maxDuration()) {
        problems.add(new Violation(prefix + rule.duration(), "invalid_option", rule.duration() + " is a number from " + rule.minDuration() + " to "
            + rule.maxDuration(), (long) rule.maxDuration(), value < 0 ? null : value));
      }
      if (options.get("poll") == null) problems.add(new Violation(prefix + rule.duration(), "poll_required", rule.duration() + " needs a poll", null, null));
    }
  }

  /** The post a post replies to ({@code reply_to}: an id, or on Bluesky a URI or link), or null when it replies to none. */
  public static String replyTo(Map<String, Object> options) {
    Object replyTo = options == null ? null : options.get(PlatformRules.REPLY_TO);
    return replyTo == null ? null : replyTo.toString();
  }

  /** A Bluesky post's at:// URI, or its bsky.app link: the author (a DID or a handle) and the record key. */
  private static final java.util.regex.Pattern BLUESKY_POST = java.util.regex.Pattern.compile(
      "(?:at://|https://bsky\\.app/profile/)((?:did:[a-z]+:[A-Za-z0-9._:%-]+)|(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+))(?:/app\\.bsky\\.feed\\.post/|/post/)([A-Za-z0-9._:~-]{1,512})");

  /** The post {@code reply_to} names on Bluesky: [author, rkey], or null when it names none. */
  public static String[] blueskyPost(String replyTo) {
    java.util.regex.Matcher m = BLUESKY_POST.matcher(replyTo.trim());
    if (!m.matches()) return null;
    boolean uri = replyTo.trim().startsWith("at://");
    // an at:// URI has the collection in its path, a bsky.app link "/post/"
    if (uri != replyTo.trim().contains("/app.bsky.feed.post/")) return null;
    return new String[] {m.group(1), m.group(2)};
  }

  private static void checkReplyTo(String platform, String replyTo, List<Violation> problems) {
    String field = "platform_options." + platform + "." + PlatformRules.REPLY_TO;
    String expected = switch (platform) {
      case "x", "threads" -> replyTo.matches("\\d{1,19}") ? null : "the numeric id of a post on " + (platform.equals("x") ? "X" : "Threads");
      case "mastodon" -> replyTo.matches("[A-Za-z0-9]{1,32}") ? null : "the id of a status on the account's instance (letters and digits)";
      case "bluesky" -> blueskyPost(replyTo) != null ? null
          : "a Bluesky post's at:// URI (at://did:plc:…/app.bsky.feed.post/…) or its link (https://bsky.app/profile/…/post/…)";
      default -> null;
    };
    if (expected != null) problems.add(new Violation(field, "invalid_id", "reply_to is " + expected, null, null));
  }

  /** Instagram collaborators ("ada,bob"), trimmed, without a leading @. */
  public static List<String> collaborators(Object value) {
    if (!(value instanceof String text) || text.isBlank()) return List.of();
    return java.util.Arrays.stream(text.split(",")).map(String::trim).map(name -> name.replaceFirst("^@", "")).toList();
  }

  private static final java.util.regex.Pattern INSTAGRAM_USERNAME = java.util.regex.Pattern.compile("[A-Za-z0-9._]{1,30}");

  private static void checkKinds(PlatformRules rules, List<MediaRef> media, Map<String, Object> options, List<Violation> problems) {
    checkPoll(rules.platform(), media, options, problems);
    if ("x".equals(rules.platform()) && options.get("quote_tweet_id") instanceof String quoted) {
      // [X13]: a post id (digits); a quote cannot carry a poll
      String field = "platform_options.x.quote_tweet_id";
      if (!quoted.matches("\\d{1,19}")) problems.add(new Violation(field, "invalid_id", "quote_tweet_id is the numeric id of a post on X", null, null));
      if (options.get("poll") != null) problems.add(new Violation(field, "not_with_poll", "a quote post cannot have a poll", null, null));
    }
    if (options.get(PlatformRules.REPLY_TO) instanceof String replyTo) checkReplyTo(rules.platform(), replyTo, problems);
    if (options.containsKey(PlatformRules.THREAD) && rules.options().stream().noneMatch(o -> o.name().equals(PlatformRules.THREAD))) {
      // refused, not ignored: a thread published as its first post alone would not be what was asked for
      problems.add(new Violation("platform_options." + rules.platform() + "." + PlatformRules.THREAD, "thread_not_supported",
          "threads are published on " + String.join(", ", PlatformRules.BY_PLATFORM.values().stream()
              .filter(r -> r.options().stream().anyMatch(o -> o.name().equals(PlatformRules.THREAD))).map(PlatformRules::platform).sorted().toList())
              + "; on " + rules.platform() + " not yet", null, null));
    }
    if ("instagram".equals(rules.platform()) && options.get("collaborators") instanceof String) {
      // [IG1]: collaborators, at most 3 usernames, on feed images, reels and carousels, not stories.
      List<String> names = collaborators(options.get("collaborators"));
      String field = "platform_options.instagram.collaborators";
      if (names.size() > 3) problems.add(new Violation(field, "too_many_collaborators", "Instagram takes at most 3 collaborators", 3L, (long) names.size()));
      for (String name : names) {
        if (!INSTAGRAM_USERNAME.matcher(name).matches()) {
          problems.add(new Violation(field, "invalid_username", "'" + name + "' is not an Instagram username (letters, digits, . and _, at most 30)", null, null));
        }
      }
      if ("STORIES".equals(options.get("media_type"))) problems.add(new Violation(field, "not_with_stories", "stories cannot have collaborators", null, null));
    }
    if (options.get(PlatformRules.CAPTIONS) != null && PlatformRules.MAX_CAPTION_BYTES.containsKey(rules.platform())
        && media.stream().noneMatch(MediaRef::isVideo)) {
      problems.add(new Violation("platform_options." + rules.platform() + "." + PlatformRules.CAPTIONS, "not_without_video",
          "captions belong to a video; this post has none", null, null));
    }
    if ("google_business".equals(rules.platform())) checkGoogleTopic(options, problems);
    if ("youtube".equals(rules.platform()) && options.get("publish_at") instanceof String at) {
      // [YT3][YT8]: status.publishAt is honoured only for a private video; otherwise YouTube ignores it silently
      String field = "platform_options.youtube.publish_at";
      try {
        java.time.OffsetDateTime.parse(at);
      } catch (java.time.format.DateTimeParseException e) {
        problems.add(new Violation(field, "invalid_option", "publish_at is an ISO-8601 time with its offset, e.g. 2026-12-24T18:00:00Z", null, null));
      }
      if (!"private".equals(options.get("privacy"))) {
        problems.add(new Violation(field, "not_with_privacy", "YouTube makes a video public at publish_at only when it is uploaded private: "
            + "set privacy to private", null, null));
      }
    }
    if ("tiktok".equals(rules.platform())) {
      // [TT1][TT4]: a direct post needs the creator's explicit privacy choice; an inbox upload leaves it to the creator
      String field = "platform_options.tiktok.privacy_level";
      boolean inbox = PlatformRules.TIKTOK_MEDIA_UPLOAD.equals(options.get("post_mode"));
      if (!inbox && options.get("privacy_level") == null) {
        problems.add(new Violation(field, "option_required", "tiktok needs privacy_level for a direct post: one of the creator's "
            + "privacy_level_options (TikTok requires an explicit choice); or post_mode MEDIA_UPLOAD to send it to the creator's inbox", null, null));
      }
      if (Boolean.TRUE.equals(options.get("brand_content_toggle")) && "SELF_ONLY".equals(options.get("privacy_level"))) {
        // [TT1]: branded content cannot be private
        problems.add(new Violation(field, "not_with_branded_content", "a paid partnership (brand_content_toggle) cannot be SELF_ONLY", null, null));
      }
      if (inbox && options.get("privacy_level") != null) {
        problems.add(new Violation(field, "not_with_media_upload", "with post_mode MEDIA_UPLOAD the creator chooses who sees the post in the "
            + "TikTok app; leave privacy_level out", null, null));
      }
    }
    if (PlatformRules.DOCUMENT_PLATFORMS.contains(rules.platform())) {
      // [LI1]: a document post's media carries the document's title, which LinkedIn shows on it
      String field = "platform_options." + rules.platform() + "." + PlatformRules.DOCUMENT_TITLE;
      Object title = options.get(PlatformRules.DOCUMENT_TITLE);
      boolean document = media.stream().anyMatch(MediaRef::isDocument);
      if (document && (title == null || title instanceof String text && text.isBlank())) {
        problems.add(new Violation(field, "option_required", rules.platform() + " needs " + PlatformRules.DOCUMENT_TITLE
            + " with a document: the title shown on it", null, null));
      }
      if (!document && title != null) {
        problems.add(new Violation(field, "not_without_document", PlatformRules.DOCUMENT_TITLE + " is the title of a document "
            + "in media_ids; this post has none", null, null));
      }
    }
    if ("linkedin".equals(rules.platform())) checkLinkedInLink(media, options, problems);
    if ("instagram".equals(rules.platform())) checkInstagramMedia(media, options, problems);
    if ("instagram".equals(rules.platform()) && options.get("first_comment") != null && "STORIES".equals(options.get("media_type"))) {
      problems.add(new Violation("platform_options.instagram.first_comment", "not_with_stories", "stories cannot be commented", null, null));
    }
    if ("facebook".equals(rules.platform()) && "REELS".equals(options.get("video_type"))) {
      MediaRef video = media.stream().filter(MediaRef::isVideo).findFirst().orElse(null);
      if (video == null) {
        problems.add(new Violation("media_ids", "media_required", "a Facebook reel needs one video", 1L, 0L));
      } else if (video.durationMs() != null && (video.durationMs() < 3_000 || video.durationMs() > 90_000)) {
        problems.add(new Violation("media_ids[0]", "video_duration", "Facebook reels are 3 to 90 seconds long", 90_000L, video.durationMs()));
      }
    }
  }

  /**
   * [LI1]: a link card (content.article) is the post's content, so it goes without media; LinkedIn shows the title it is
   * given (it does not read the page), so a link needs one; the card's other fields need the link.
   */
  private static void checkLinkedInLink(List<MediaRef> media, Map<String, Object> options, List<Violation> problems) {
    String prefix = "platform_options.linkedin.";
    Object link = options.get("link");
    if (link instanceof String url && !url.matches("https://[^\\s]+")) {
      problems.add(new Violation(prefix + "link", "invalid_option", "link is an https URL", null, null));
    }
    if (link != null && !media.isEmpty()) {
      problems.add(new Violation(prefix + "link", "not_with_media", "a LinkedIn post has a link card or media, not both", null, null));
    }
    if (link != null && (options.get("link_title") == null || options.get("link_title") instanceof String t && t.isBlank())) {
      problems.add(new Violation(prefix + "link_title", "option_required", "a link card needs link_title: LinkedIn shows the title it is given", null, null));
    }
    for (String part : List.of("link_title", "link_description", PlatformRules.LINK_THUMBNAIL)) {
      if (link == null && options.get(part) != null) {
        problems.add(new Violation(prefix + part, "not_without_link", part + " belongs to a link card: give link too", null, null));
      }
    }
  }

  /**
   * [GB1][GB2]: an EVENT or OFFER post needs an event (title and schedule: its offer's validity for an OFFER); offer
   * details only on an OFFER; Google ignores a call to action on an OFFER, so asking for one is refused, not dropped.
   */
  private static void checkGoogleTopic(Map<String, Object> options, List<Violation> problems) {
    String prefix = "platform_options.google_business.";
    String topic = String.valueOf(options.getOrDefault("topic_type", "STANDARD"));
    boolean event = topic.equals("EVENT") || topic.equals("OFFER");
    for (String name : List.of("event_title", "event_start", "event_end")) {
      if (event && options.get(name) == null) {
        problems.add(new Violation(prefix + name, "option_required", "a " + topic + " post needs event_title, event_start and event_end", null, null));
      } else if (!event && options.get(name) != null) {
        problems.add(new Violation(prefix + name, "not_with_topic_type", name + " belongs to EVENT and OFFER posts, not " + topic, null, null));
      }
    }
    java.time.LocalDateTime start = eventTime(options.get("event_start"), prefix + "event_start", problems);
    java.time.LocalDateTime end = eventTime(options.get("event_end"), prefix + "event_end", problems);
    if (start != null && end != null && end.isBefore(start)) {
      problems.add(new Violation(prefix + "event_end", "invalid_option", "event_end is before event_start", null, null));
    }
    for (String name : List.of("offer_coupon_code", "offer_redeem_url", "offer_terms")) {
      if (!topic.equals("OFFER") && options.get(name) != null) {
        problems.add(new Violation(prefix + name, "not_with_topic_type", name + " belongs to OFFER posts, not " + topic, null, null));
      }
    }
    if (topic.equals("OFFER") && options.get("call_to_action") != null) {
      problems.add(new Violation(prefix + "call_to_action", "not_with_topic_type", "Google shows no call to action on an OFFER post", null, null));
    }
  }

  /**
   * [IG1]: a reel's own options (share_to_feed, thumb_offset, cover) need one video that is a reel, not a story; user
   * tags go on a single feed image: at most 20, each a username with x and y from 0 to 1 (where the tag sits).
   */
  private static void checkInstagramMedia(List<MediaRef> media, Map<String, Object> options, List<Violation> problems) {
    String prefix = "platform_options.instagram.";
    boolean story = "STORIES".equals(options.get("media_type"));
    boolean reel = media.size() == 1 && media.get(0).isVideo() && !story;
    for (String name : List.of("share_to_feed", "thumb_offset", PlatformRules.COVER)) {
      if (options.get(name) != null && !reel) {
        problems.add(new Violation(prefix + name, "not_a_reel", name + " belongs to a reel: one video, not a story", null, null));
      }
    }
    Object offset = options.get("thumb_offset");
    if (offset != null && !(offset instanceof Number n && n.longValue() >= 0 && n.doubleValue() == n.longValue())) {
      problems.add(new Violation(prefix + "thumb_offset", "invalid_option", "thumb_offset is the cover frame's time in the video, in whole ms", null, null));
    } else if (offset instanceof Number n && reel && media.get(0).durationMs() != null && n.longValue() > media.get(0).durationMs()) {
      problems.add(new Violation(prefix + "thumb_offset", "invalid_option", "thumb_offset is after the video's end",
          media.get(0).durationMs(), n.longValue()));
    }
    Object tags = options.get("user_tags");
    if (tags == null) return;
    String field = prefix + "user_tags";
    // [IG1]: tags go on an image (placed at x, y), on each image of a carousel (media_index names it), on a reel (no
    // position) and on a story (position optional); not on a carousel's videos
    boolean carousel = media.size() > 1 && !story;
    if (!(tags instanceof List<?> list)) {
      problems.add(new Violation(field, "invalid_type", "user_tags is a list of {username, x, y} (on a carousel with media_index)", null, null));
      return;
    }
    Map<Object, Integer> perItem = new java.util.HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String item = field + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> tag) || !(tag.get("username") instanceof String name)
          || !INSTAGRAM_USERNAME.matcher(name.replaceFirst("^@", "")).matches()) {
        problems.add(new Violation(item, "invalid_tag", "a user tag names an Instagram username", null, null));
        continue;
      }
      boolean placed = tag.get("x") != null || tag.get("y") != null;
      boolean placedWell = tag.get("x") instanceof Number x && tag.get("y") instanceof Number y
          && x.doubleValue() >= 0 && x.doubleValue() <= 1 && y.doubleValue() >= 0 && y.doubleValue() <= 1;
      if (reel && placed) {
        problems.add(new Violation(item, "invalid_tag", "a reel's tags have no position: leave x and y out", null, null));
      } else if ((reel || story) ? placed && !placedWell : !placedWell) {
        problems.add(new Violation(item, "invalid_tag", "a user tag is placed at x and y, each from 0 to 1" + (story ? " (or neither, on a story)" : ""),
            null, null));
      }
      Object index = tag.get("media_index");
      if (carousel) {
        if (!(index instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 0 || n.intValue() >= media.size()) {
          problems.add(new Violation(item + ".media_index", "invalid_option", "on a carousel a tag names its image: media_index from 0 to "
              + (media.size() - 1), null, null));
        } else if (!media.get(n.intValue()).isImage()) {
          problems.add(new Violation(item + ".media_index", "invalid_option", "tags go on a carousel's images, not its videos", null, null));
        }
      } else if (index != null) {
        problems.add(new Violation(item + ".media_index", "invalid_option", "media_index names an image of a carousel; this post is not one", null, null));
      }
      perItem.merge(carousel ? index : 0, 1, Integer::sum);
    }
    if (perItem.values().stream().anyMatch(count -> count > 20)) {
      problems.add(new Violation(field, "too_many_tags", "Instagram takes at most 20 user tags per image or video", 20L,
          (long) perItem.values().stream().mapToInt(Integer::intValue).max().orElse(0)));
    }
  }

  /** An event time: a date (the whole day) or a local date and time to the minute; null when absent or not one. */
  public static java.time.LocalDateTime eventTime(Object value, String field, List<Violation> problems) {
    if (!(value instanceof String text)) return null;
    try {
      return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay() : java.time.LocalDateTime.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      if (problems != null) {
        problems.add(new Violation(field, "invalid_option", field.substring(field.lastIndexOf('.') + 1)
            + " is a date (2026-12-24) or a local date and time (2026-12-24T18:00)", null, null));
      }
      return null;
    }
  }

  private static void checkOptions(PlatformRules rules, Map<String, Object> options, List<Violation> problems) {
    String prefix = "platform_options." + rules.platform() + ".";
    for (PlatformRules.OptionRule option : rules.options()) {
      Object value = options.get(option.name());
      if (value == null) {
        if (option.required()) {
          problems.add(new Violation(prefix + option.name(), "option_required", rules.platform() + " needs " + option.name() + ": "
              + option.description(), null, null));
        }
        continue;
      }
      switch (option.kind()) {
        case POSTS -> checkPosts(rules, prefix + option.name(), option.maxItems(), value, problems);
        case CAPTIONS -> checkCaptions(prefix + option.name(), option.maxItems(), value, problems);
        case FLAG -> {
          if (!(value instanceof Boolean)) problems.add(new Violation(prefix + option.name(), "invalid_type", option.name() + " is true or false", null, null));
        }
        case TEXT -> checkTextOption(prefix, option, value, problems);
      }
    }
  }

  /** A string option: one of its allowed values, or a text of at most its length (not blank where required). */
  private static void checkTextOption(String prefix, PlatformRules.OptionRule option, Object value, List<Violation> problems) {
    if (!(value instanceof String text)) {
      problems.add(new Violation(prefix + option.name(), "invalid_type", option.name() + " must be a string", null, null));
      return;
    }
    if (option.allowed() != null && !option.allowed().contains(text)) {
      problems.add(new Violation(prefix + option.name(), "invalid_option", option.name() + " must be one of "
          + option.allowed().stream().sorted().toList(), null, null));
    }
    if (option.maxLength() > 0 && text.codePointCount(0, text.length()) > option.maxLength()) {
      problems.add(new Violation(prefix + option.name(), "too_long", option.name() + " may be at most " + option.maxLength() + " characters",
          (long) option.maxLength(), (long) text.codePointCount(0, text.length())));
    }
    if (option.required() && option.allowed() == null && text.isBlank()) {
      problems.add(new Violation(prefix + option.name(), "option_required", option.name() + " may not be empty", null, null));
    }
  }

  /** A caption file of the post's video: its language (a BCP 47 tag) and the media id of a WebVTT file. */
  public record Caption(String lang, String mediaId) {}

  private static final java.util.regex.Pattern LANGUAGE_TAG = java.util.regex.Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");

  /** The captions option's entries that name a language and a media id (others are reported by {@link #checkCaptions}). */
  public static List<Caption> captions(Map<?, ?> options) {
    Object value = options == null ? null : options.get(PlatformRules.CAPTIONS);
    if (!(value instanceof List<?> items)) return List.of();
    List<Caption> captions = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof Map<?, ?> map && map.get("lang") instanceof String lang && map.get("media_id") instanceof String id) {
        captions.add(new Caption(lang, id));
      }
    }
    return captions;
  }

  /** 1 to {@code maxItems} entries {@code {"lang", "media_id"}}, one per language. The files are checked in {@link #checkOptionMedia}. */
  private static void checkCaptions(String field, int maxItems, Object value, List<Violation> problems) {
    if (!(value instanceof List<?> items) || items.stream().anyMatch(item -> !(item instanceof Map<?, ?>))) {
      problems.add(new Violation(field, "invalid_type", "captions is a list of {\"lang\": \"en\", \"media_id\": \"med_…\"}", null, null));
      return;
    }
    if (items.isEmpty() || items.size() > maxItems) {
      problems.add(new Violation(field, "too_many_captions", "a video has 1 to " + maxItems + " caption files", (long) maxItems, (long) items.size()));
    }
    java.util.Set<String> languages = new java.util.HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Map<?, ?> caption = (Map<?, ?>) items.get(i);
      String item = field + "[" + i + "]";
      if (!(caption.get("lang") instanceof String lang) || !LANGUAGE_TAG.matcher(lang).matches()) {
        problems.add(new Violation(item + ".lang", "invalid_option", "lang is the captions' language, a BCP 47 tag such as en or pt-BR", null, null));
      } else if (!languages.add(lang.toLowerCase(java.util.Locale.ROOT))) {
        problems.add(new Violation(item + ".lang", "duplicate_language", "one caption file per language; " + lang + " is given twice", null, null));
      }
      if (!(caption.get("media_id") instanceof String id) || id.isBlank()) {
        problems.add(new Violation(item + ".media_id", "option_required", "media_id names a WebVTT file uploaded with POST /v1/media", null, null));
      }
    }
  }

  /** A file an option names by its media id: found in the workspace, of a type and size the platform takes there. */
  private static void checkNamedFile(String field, Object id, Map<String, MediaRef> found, java.util.Set<String> types, long maxBytes,
                                     String what, String kind, List<Violation> problems) {
    if (!(id instanceof String mediaId) || mediaId.isBlank()) return;
    MediaRef file = found.get(mediaId);
    if (file == null) {
      problems.add(notFound(field, mediaId));
    } else if (!types.contains(file.mimeType())) {
      problems.add(new Violation(field, "media_type_not_supported", what + " is " + kind + " of type "
          + String.join(", ", types.stream().sorted().toList()) + ", not " + file.mimeType(), null, null));
    } else if (file.sizeBytes() > maxBytes) {
      problems.add(new Violation(field, "media_too_large", what + " is at most " + maxBytes + " bytes", maxBytes, file.sizeBytes()));
    }
  }

  private static Violation notFound(String field, String mediaId) {
    return new Violation(field, "media_not_found", "no media " + mediaId + " in this workspace; upload it with POST /v1/media", null, null);
  }

  /**
   * A list of follow-up posts ({@code thread}): 1 to {@code maxItems}, each a text or {@code {"text", "media_ids"}},
   * each within the platform's text rules (a reply with media may have no text). Media are checked against the
   * workspace's files in {@link #checkOptionMedia}, as the post's are (every platform with threads takes media in replies).
   */
  private static void checkPosts(PlatformRules rules, String field, int maxItems, Object value, List<Violation> problems) {
    if (!(value instanceof List<?> items) || items.stream().anyMatch(item -> !(item instanceof String) && !(item instanceof Map<?, ?>))) {
      problems.add(new Violation(field, "invalid_type", field.substring(field.lastIndexOf('.') + 1)
          + " must be a list of texts, or of objects with text and media_ids", null, null));
      return;
    }
    if (items.isEmpty() || items.size() > maxItems) {
      problems.add(new Violation(field, "thread_length", "a thread has 1 to " + maxItems + " follow-up posts", (long) maxItems, (long) items.size()));
    }
    for (int i = 0; i < items.size(); i++) {
      String item = field + "[" + i + "]";
      if (items.get(i) instanceof Map<?, ?> reply) {
        boolean captioned = PlatformRules.MAX_CAPTION_BYTES.containsKey(rules.platform());
        for (Object key : reply.keySet()) {
          boolean known = "text".equals(key) || "media_ids".equals(key) || captioned && PlatformRules.CAPTIONS.equals(key);
          if (!known) {
            problems.add(new Violation(item + "." + key, "unknown_field", "a reply takes text, media_ids" + (captioned ? " and captions" : "")
                + "; '" + key + "' is not one of them", null, null));
          }
        }
        if (captioned && reply.get(PlatformRules.CAPTIONS) != null) {
          checkCaptions(item + "." + PlatformRules.CAPTIONS, PlatformRules.MAX_CAPTIONS, reply.get(PlatformRules.CAPTIONS), problems);
        }
        if (reply.get("text") != null && !(reply.get("text") instanceof String)) {
          problems.add(new Violation(item + ".text", "invalid_type", "text must be a string", null, null));
          continue;
        }
        Object ids = reply.get("media_ids");
        if (ids != null && (!(ids instanceof List<?> list) || list.stream().anyMatch(id -> !(id instanceof String)))) {
          problems.add(new Violation(item + ".media_ids", "invalid_type", "media_ids must be a list of media ids", null, null));
          continue;
        }
      }
      ThreadPost reply = threadPost(items.get(i));
      List<Violation> own = new ArrayList<>();
      checkText(rules, reply.text(), reply.mediaIds().isEmpty(), own);
      String at = items.get(i) instanceof Map<?, ?> ? item + "." : item;
      for (Violation v : own) problems.add(new Violation(at.endsWith(".") ? at + v.field() : at, v.code(), v.message(), v.limit(), v.actual()));
    }
  }

  /** A follow-up post of a thread: its text (empty when it has only media), its media ids, its video's captions. */
  public record ThreadPost(String text, List<String> mediaIds, List<Caption> captions) {}

  /** The follow-up posts of a thread ({@code platform_options.<platform>.thread}), texts or objects; empty when none. */
  public static List<ThreadPost> threadPosts(Map<String, Object> options) {
    if (options == null || !(options.get(PlatformRules.THREAD) instanceof List<?> items)) return List.of();
    return items.stream().filter(item -> item instanceof String || item instanceof Map<?, ?>).map(ContentCheck::threadPost).toList();
  }

  private static ThreadPost threadPost(Object item) {
    if (item instanceof Map<?, ?> reply) {
      List<String> ids = reply.get("media_ids") instanceof List<?> list
          ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
      return new ThreadPost(reply.get("text") instanceof String text ? text : "", ids, captions(reply));
    }
    return new ThreadPost(String.valueOf(item), List.of(), List.of());
  }

  /** The follow-up posts of a thread ({@code platform_options.<platform>.thread}); empty when there are none. */
  public static List<String> thread(Map<String, Object> options) {
    return threadPosts(options).stream().map(ThreadPost::text).toList();
  }

  private static void limit(List<Violation> problems, int max, int actual, String code, String message) {
    limit(problems, "text", max, actual, code, message);
  }

  private static void limit(List<Violation> problems, String field, int max, int actual, String code, String message) {
    if (max > 0 && actual > max) problems.add(new Violation(field, code, String.format(message, max), (long) max, (long) actual));
  }

  private static String unitName(TextUnit unit) {
    return switch (unit) {
      case CODE_POINTS, MASTODON -> "characters";
      case GRAPHEMES -> "graphemes";
      case X_WEIGHTED -> "weighted characters (emoji and CJK count 2, links 23)";
      case THREADS -> "characters (an emoji counts as its UTF-8 bytes)";
      case UTF16 -> "UTF-16 code units";
      case UTF8_BYTES -> "UTF-8 bytes";
    };
  }
}
