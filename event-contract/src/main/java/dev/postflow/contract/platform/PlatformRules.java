package dev.postflow.contract.platform;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each platform accepts, as data: one row per platform, from docs/platforms (../shared/reference/platforms.md,
 * sources there). posts-api validates posts against these rows and the publishers read the same rows, so the two
 * never disagree. Where the platform's own documents disagree, the row takes the stricter number.
 *
 * @param maxTextBytes a second cap in UTF-8 bytes (Bluesky), or 0
 * @param textRequired the text may not be empty even when there is media
 * @param minMedia at least this many media (Instagram, TikTok, YouTube, Pinterest need media)
 * @param maxImages images per post (0: images not accepted)
 * @param maxVideos videos per post (0: videos not accepted)
 * @param mixed images and videos in one post (carousels of Instagram and Threads)
 * @param maxLinks distinct links in the text, 0 = no limit
 */
public record PlatformRules(
    String platform,
    TextUnit textUnit,
    int maxText,
    int maxTextBytes,
    boolean textRequired,
    int minMedia,
    int maxImages,
    int maxVideos,
    boolean mixed,
    Set<String> imageTypes,
    long maxImageBytes,
    Set<String> videoTypes,
    long maxVideoBytes,
    long minVideoMs,
    long maxVideoMs,
    int maxHashtags,
    int maxMentions,
    int maxLinks,
    List<OptionRule> options) {

  /**
   * A platform option ({@code platform_options.<platform>.<name>}) of one {@link Kind}: a string (from a list of
   * {@code allowed} values, or a text of at most {@code maxLength}), a boolean, or a list of at most {@code maxItems}
   * follow-up posts ({@code thread}) or caption files ({@code captions}).
   */
  public record OptionRule(String name, Kind kind, boolean required, Set<String> allowed, int maxLength, String description, int maxItems) {
    public enum Kind { TEXT, FLAG, POSTS, CAPTIONS }

    static OptionRule required(String name, Set<String> allowed, String description) {
      return new OptionRule(name, Kind.TEXT, true, allowed, 0, description, 0);
    }

    static OptionRule requiredText(String name, int maxLength, String description) {
      return new OptionRule(name, Kind.TEXT, true, null, maxLength, description, 0);
    }

    static OptionRule optional(String name, Set<String> allowed, String description) {
      return new OptionRule(name, Kind.TEXT, false, allowed, 0, description, 0);
    }

    static OptionRule optionalText(String name, int maxLength, String description) {
      return new OptionRule(name, Kind.TEXT, false, null, maxLength, description, 0);
    }

    static OptionRule posts(String name, int maxItems, String description) {
      return new OptionRule(name, Kind.POSTS, false, null, 0, description, maxItems);
    }

    /** A boolean option (true or false, not a string). */
    static OptionRule flag(String name, String description) {
      return new OptionRule(name, Kind.FLAG, false, null, 0, description, 0);
    }

    /** Caption files of the post's video: {@code [{"lang": "en", "media_id": "med_…"}]}, one per language. */
    static OptionRule captions(int maxItems, String description) {
      return new OptionRule(CAPTIONS, Kind.CAPTIONS, false, null, 0, description, maxItems);
    }
  }

  /** The follow-up posts of a thread: replies, each to the one before, under the post itself. */
  public static final String THREAD = "thread";
  /**
   * Publish the post as a reply to another post, the account's own or anyone's (X, Threads, Mastodon, Bluesky): that
   * post's id on the platform (Bluesky: its at:// URI or bsky.app link). A thread goes under it as a whole.
   */
  public static final String REPLY_TO = "reply_to";
  /** Posts in a thread after the first; the platforms set no limit, so this keeps one target's work bounded. */
  public static final int MAX_THREAD_REPLIES = 24;

  /** TikTok's post modes [TT1][TT4]: posted to the profile, or sent to the creator's inbox as a draft they finish in the app. */
  public static final String TIKTOK_DIRECT_POST = "DIRECT_POST";
  public static final String TIKTOK_MEDIA_UPLOAD = "MEDIA_UPLOAD";

  /** A media id named by an option: YouTube's custom thumbnail ({@code thumbnails.set}, JPEG or PNG, at most 2 MB) [YT3]. */
  public static final String THUMBNAIL = "thumbnail";
  public static final Set<String> THUMBNAIL_TYPES = Set.of("image/jpeg", "image/png");
  public static final long MAX_THUMBNAIL_BYTES = 2L * 1024 * 1024;
  /** A media id named by an option: an Instagram reel's cover image ({@code cover_url}; Instagram takes JPEG only) [IG1]. */
  public static final String COVER = "cover";

  /**
   * Documents, shown as a swipeable carousel: LinkedIn's document posts [LI1][LI6], at most 100 MB and 300 pages, one
   * per post and no other media, with a title ({@code document_title}). No other platform takes documents. LinkedIn's
   * Documents API takes PDF, PowerPoint and Word files; the Office formats of before 2007 (.ppt, .doc) are refused at
   * upload here, since their pages cannot be counted without an Office library (save them as .pptx, .docx or PDF).
   */
  public static final Set<String> DOCUMENT_PLATFORMS = Set.of("linkedin");
  public static final String PDF = "application/pdf";
  public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  public static final Set<String> DOCUMENT_TYPES = Set.of(PDF, PPTX, DOCX);
  public static final long MAX_DOCUMENT_BYTES = 100L * 1024 * 1024;
  public static final int MAX_DOCUMENT_PAGES = 300;
  public static final String DOCUMENT_TITLE = "document_title";
  /** A media id named by an option: the image of a LinkedIn link card ({@code content.article.thumbnail}) [LI1]. */
  public static final String LINK_THUMBNAIL = "link_thumbnail";

  /**
   * Caption files (WebVTT) of a post's video, by language: Bluesky's {@code app.bsky.embed.video} takes up to 20 of at
   * most 20,000 bytes each, uploaded as blobs [BS3]; YouTube adds each as a caption track with {@code captions.insert}
   * (400 quota units) [YT2].
   */
  public static final String CAPTIONS = "captions";
  public static final String VTT = "text/vtt";
  public static final Map<String, Long> MAX_CAPTION_BYTES = Map.of("bluesky", 20_000L, "youtube", 100L * 1024 * 1024);
  public static final int MAX_CAPTIONS = 20;

  /**
   * Platforms whose posts can be taken down again ({@code POST /v1/posts/{id}/unpublish}), each with its platform's
   * delete call: the sandbox's DELETE, Bluesky's {@code com.atproto.repo.deleteRecord}, Mastodon's
   * {@code DELETE /api/v1/statuses/:id}, X's {@code DELETE /2/tweets/:id}, the Graph API's {@code DELETE /{post-id}}
   * (Facebook Pages, Threads), LinkedIn's {@code DELETE /rest/posts/{urn}}, YouTube's {@code videos.delete}, Pinterest's
   * {@code DELETE /v5/pins/{id}} and Google Business Profile's {@code DELETE localPosts/{id}}. Instagram's and TikTok's
   * publishing APIs have no delete: {@link #unpublishRefusal} says what to do instead.
   */
  public static final Set<String> UNPUBLISH_PLATFORMS = Set.of("sandbox", "bluesky", "mastodon", "x", "facebook", "threads", "linkedin",
      "youtube", "pinterest", "google_business");

  /** Why a post on {@code platform} cannot be unpublished through us, or null when it can. */
  public static String unpublishRefusal(String platform) {
    if (UNPUBLISH_PLATFORMS.contains(platform)) return null;
    String name = switch (platform) {
      case "instagram" -> "Instagram";
      case "tiktok" -> "TikTok";
      default -> platform;
    };
    return name + "'s API offers no way to delete a post; delete it in the " + name + " app";
  }

  /**
   * Platforms whose published posts can be edited ({@code POST /v1/posts/{id}/edit}, the text only), each with its
   * platform's update call: the sandbox's PUT, Mastodon's {@code PUT /api/v1/statuses/:id}, the Graph API's
   * {@code POST /{post-id}} with {@code message} (Facebook Pages), LinkedIn's {@code POST /rest/posts/{urn}} as a
   * {@code PARTIAL_UPDATE} of {@code commentary}, Pinterest's {@code PATCH /v5/pins/{id}} (the description) and Google
   * Business Profile's {@code PATCH localPosts/{id}?updateMask=summary}. The others have no edit in their publishing
   * APIs (X's edits are not in its API for most tiers, Bluesky's records are not edited, Threads, Instagram, TikTok
   * and YouTube's upload scope have none): {@link #editRefusal} says so.
   */
  public static final Set<String> EDIT_PLATFORMS = Set.of("sandbox", "mastodon", "facebook", "linkedin", "pinterest", "google_business");

  /** Why a post on {@code platform} cannot be edited through us, or null when it can. */
  public static String editRefusal(String platform) {
    if (EDIT_PLATFORMS.contains(platform)) return null;
    return platform + "'s publishing API has no way to edit a published post; unpublish it and publish the new text, or edit it in the app";
  }

  private static final long MB = 1024L * 1024L;
  private static final Set<String> JPEG = Set.of("image/jpeg");
  private static final Set<String> JPEG_PNG = Set.of("image/jpeg", "image/png");
  private static final Set<String> WEB_IMAGES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final Set<String> MP4_MOV = Set.of("video/mp4", "video/quicktime");
  private static final Set<String> NONE = Set.of();
  private static final long MINUTE = 60_000L;

  public static final Map<String, PlatformRules> BY_PLATFORM = Map.ofEntries(
      row(new PlatformRules("sandbox", TextUnit.CODE_POINTS, 5000, 0, false, 0, 10, 10, true, WEB_IMAGES, 100 * MB, MP4_MOV,
          1024 * MB, 0, 0, 0, 0, 0, List.of())),
      // [IG1][IG2]: caption 2,200, 30 hashtags, 20 @-tags; carousel ≤10 mixed; JPEG ≤8 MB; reels 3 s–15 min ≤300 MB.
      row(new PlatformRules("instagram", TextUnit.CODE_POINTS, 2200, 0, false, 1, 10, 10, true, JPEG, 8 * MB, MP4_MOV, 300 * MB,
          3_000, 15 * MINUTE, 30, 20, 0, List.of(
              OptionRule.optional("media_type", Set.of("FEED", "REELS", "STORIES"), "FEED (default; a video becomes a reel), REELS or STORIES"),
              OptionRule.optionalText("collaborators", 100, "up to 3 Instagram usernames invited as collaborators, comma-separated (not with stories)"),
              OptionRule.optionalText("first_comment", 2200, "a comment added under the post as soon as it is out (not on stories)"),
              OptionRule.optionalText(COVER, 64, "a reel's cover: a media id (med_…) of a JPEG image"),
              OptionRule.flag("share_to_feed", "a reel shown in the feed too (Instagram's default: true)")))),
      // [FB1][FB7]: ~63,206 characters; photos < 4 MB JPG/PNG (error 1366046), up to 10; or one video.
      row(new PlatformRules("facebook", TextUnit.CODE_POINTS, 63206, 0, false, 0, 10, 1, false, JPEG_PNG, 4 * MB, MP4_MOV,
          1024 * MB, 1_000, 240 * MINUTE, 0, 0, 0, List.of(
              OptionRule.optionalText("link", 2048, "a link to attach (text posts)"),
              OptionRule.optional("video_type", Set.of("VIDEO", "REELS"), "VIDEO (default) or REELS (3–90 s, 9:16)"),
              OptionRule.optionalText("first_comment", 8000, "a comment added under the post as soon as it is out")))),
      // [TH2]: 500 characters with emoji as UTF-8 bytes; ≤5 unique links; carousel 2–20; images ≤8 MB; video ≤5 min, ≤1 GB.
      row(new PlatformRules("threads", TextUnit.THREADS, 500, 0, false, 0, 20, 20, true, JPEG_PNG, 8 * MB, MP4_MOV, 1024 * MB,
          0, 5 * MINUTE, 0, 0, 5, List.of(
              OptionRule.optionalText("topic_tag", 50, "one topic tag, 1–50 characters, no '.' or '&'"),
              OptionRule.optionalText("poll", 103, "a poll's 2 to 4 choices separated by |, each at most 25 characters (text-only posts; it runs 24 hours)"),
              OptionRule.posts(THREAD, MAX_THREAD_REPLIES, "follow-up posts, each published as a reply to the one before: texts, or {text, media_ids}"),
              OptionRule.optionalText(REPLY_TO, 32, "publish as a reply to this Threads post: its media id (needs the threads_manage_replies permission)")))),
      // [X3][X4]: 280 weighted; 4 images (≤5 MB) or 1 video/GIF, no mixing; video 0.5 s–20 min (≤512 MB via the simple upload here).
      row(new PlatformRules("x", TextUnit.X_WEIGHTED, 280, 0, false, 0, 4, 1, false, WEB_IMAGES, 5 * MB, Set.of("video/mp4"), 512 * MB,
          500, 20 * MINUTE, 50, 50, 10, List.of(
              OptionRule.optionalText("poll", 103, "a poll's 2 to 4 choices separated by |, each at most 25 characters (no media with a poll)"),
              OptionRule.optionalText("poll_duration_minutes", 5, "how long the poll runs: 5 to 10080 minutes (default 1440)"),
              OptionRule.posts(THREAD, MAX_THREAD_REPLIES, "follow-up posts, each published as a reply to the one before: texts, or {text, media_ids}"),
              OptionRule.optionalText("quote_tweet_id", 19, "the id of the post to quote (X allows quote posts on its Enterprise plan only)"),
              OptionRule.optionalText(REPLY_TO, 19, "publish as a reply to this post on X: its id")))),
      // [LI5][LI6][LI12]: commentary 3,000; images JPG/PNG/GIF ≤5 MB (multi-image up to 20) or one video 3 s–30 min, ≤500 MB.
      row(new PlatformRules("linkedin", TextUnit.CODE_POINTS, 3000, 0, false, 0, 20, 1, false, Set.of("image/jpeg", "image/png", "image/gif"),
          5 * MB, Set.of("video/mp4"), 500 * MB, 3_000, 30 * MINUTE, 0, 0, 0, List.of(
              OptionRule.optional("visibility", Set.of("PUBLIC", "CONNECTIONS"), "PUBLIC (default) or CONNECTIONS"),
              OptionRule.optionalText("first_comment", 1250, "a comment added under the post as soon as it is out (where links lose no reach)"),
              OptionRule.optionalText(DOCUMENT_TITLE, 400, "the title LinkedIn shows on a document (PDF, PowerPoint, Word) post; required with a document"),
              OptionRule.optionalText("link", 2048, "an https link shown as a card (an article post; not with media): LinkedIn does not read the page"),
              OptionRule.optionalText("link_title", 400, "the card's title; required with link"),
              OptionRule.optionalText("link_description", 4086, "the card's description"),
              OptionRule.optionalText(LINK_THUMBNAIL, 64, "the card's image: a media id (med_…) of a JPEG, PNG or GIF of at most 5 MB")))),
      // [BS1][BS2][BS3]: 300 graphemes and 3,000 bytes; ≤4 images ≤2,000,000 bytes each, or 1 MP4 video ≤3 min.
      row(new PlatformRules("bluesky", TextUnit.GRAPHEMES, 300, 3000, false, 0, 4, 1, false, Set.of("image/jpeg", "image/png", "image/webp", "image/gif"),
          2_000_000, Set.of("video/mp4"), 300_000_000, 0, 3 * MINUTE, 0, 0, 0, List.of(
              OptionRule.optionalText("langs", 20, "comma-separated language tags (at most 3), e.g. en,de"),
              OptionRule.optional("link_card", Set.of("auto", "none"), "auto (default): a post without media gets its first link's card; none"),
              OptionRule.posts(THREAD, MAX_THREAD_REPLIES, "follow-up posts, each published as a reply to the one before: texts, or {text, media_ids}"),
              OptionRule.captions(MAX_CAPTIONS, "the video's captions: [{lang, media_id}], WebVTT files of at most 20,000 bytes, one per language"),
              OptionRule.optionalText(REPLY_TO, 300, "publish as a reply to this Bluesky post: its at:// URI or its bsky.app link")))),
      // [MA3]: 500 characters (URL = 23), 4 attachments (one video or up to four images); instance defaults 16 MB / 99 MB.
      row(new PlatformRules("mastodon", TextUnit.MASTODON, 500, 0, false, 0, 4, 1, false, WEB_IMAGES, 16 * MB, Set.of("video/mp4", "video/quicktime"),
          99 * MB, 0, 0, 0, 0, 0, List.of(
              OptionRule.optional("visibility", Set.of("public", "unlisted", "private", "direct"), "public (default), unlisted, private or direct"),
              OptionRule.optionalText("spoiler_text", 500, "content warning (counts towards the limit)"),
              OptionRule.optionalText("poll", 203, "a poll's 2 to 4 choices separated by |, each at most 50 characters (no media with a poll)"),
              OptionRule.optionalText("poll_expires_in", 7, "how long the poll runs: 300 to 2629746 seconds (default 86400)"),
              OptionRule.posts(THREAD, MAX_THREAD_REPLIES, "follow-up posts, each published as a reply to the one before: texts, or {text, media_ids}"),
              OptionRule.optionalText(REPLY_TO, 32, "publish as a reply to this status: its id on the account's own instance")))),
      // [TT1][TT2][TT4]: caption 2,200 UTF-16 units; one video (≤4 GB, ≤10 min) or ≤35 JPEG/WebP photos ≤20 MB; privacy required.
      row(new PlatformRules("tiktok", TextUnit.UTF16, 2200, 0, false, 1, 35, 1, false, Set.of("image/jpeg", "image/webp"), 20 * MB,
          Set.of("video/mp4", "video/quicktime"), 4096 * MB, 3_000, 10 * MINUTE, 0, 0, 0, List.of(
              // required for DIRECT_POST, refused with MEDIA_UPLOAD (the creator chooses in the app): ContentCheck
              OptionRule.optional("privacy_level", Set.of("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"),
                  "one of the creator's privacy_level_options (TikTok requires an explicit choice)"),
              OptionRule.optional("post_mode", Set.of(TIKTOK_DIRECT_POST, TIKTOK_MEDIA_UPLOAD),
                  "DIRECT_POST (default): posted to the profile; MEDIA_UPLOAD: sent to the creator's TikTok inbox, who finishes the post in the app"),
              OptionRule.flag("disable_comment", "comments off (stays off where the creator switched it off)"),
              OptionRule.flag("disable_duet", "duets off (stays off where the creator switched it off)"),
              OptionRule.flag("disable_stitch", "stitches off (stays off where the creator switched it off)"),
              OptionRule.flag("brand_content_toggle", "a paid partnership (not with SELF_ONLY)"),
              OptionRule.flag("brand_organic_toggle", "promotes the creator's own brand"),
              OptionRule.flag("is_aigc", "AI-generated content")))),
      // [YT1][YT3]: one video; title ≤100 required; description ≤5,000 bytes; no '<' or '>'.
      row(new PlatformRules("youtube", TextUnit.UTF8_BYTES, 5000, 0, false, 1, 0, 1, false, NONE, 0, Set.of("video/mp4", "video/quicktime"),
          256L * 1024 * MB, 0, 12 * 60 * MINUTE, 0, 0, 0, List.of(
              OptionRule.requiredText("title", 100, "the video's title, ≤100 characters, no '<' or '>'"),
              OptionRule.required("privacy", Set.of("public", "unlisted", "private"), "public, unlisted or private"),
              OptionRule.optionalText("first_comment", 10000, "a comment added under the video as soon as it is uploaded"),
              OptionRule.flag("made_for_kids", "made for kids (selfDeclaredMadeForKids)"),
              OptionRule.flag("notify_subscribers", "notify subscribers (default true)"),
              OptionRule.flag("contains_synthetic_media", "realistic altered or synthetic content (YouTube's disclosure)"),
              OptionRule.optionalText("publish_at", 30, "with privacy private: when YouTube makes the video public (ISO-8601, e.g. 2026-12-24T18:00:00Z)"),
              OptionRule.optionalText(THUMBNAIL, 64, "a media id (med_…): a JPEG or PNG image of at most 2 MB, set as the video's custom thumbnail"),
              OptionRule.captions(MAX_CAPTIONS, "caption tracks: [{lang, media_id}], WebVTT files, one per language (400 quota units each)")))),
      // [PI1][PI4]: description ≤800; one image (≤20 MB) or a carousel of 2–5, or one video 4 s–15 min; board required.
      row(new PlatformRules("pinterest", TextUnit.CODE_POINTS, 800, 0, false, 1, 5, 1, false, Set.of("image/jpeg", "image/png", "image/gif", "image/webp"),
          20 * MB, Set.of("video/mp4", "video/quicktime"), 2048 * MB, 4_000, 15 * MINUTE, 0, 0, 0, List.of(
              OptionRule.requiredText("board_id", 64, "the board to pin to"),
              OptionRule.optionalText("board_section_id", 64, "a section of that board"),
              OptionRule.optionalText("title", 100, "the pin's title, ≤100 characters"),
              OptionRule.optionalText("link", 2048, "the pin's destination link")))),
      // [GB1][GB4]: summary ≤1,500; one photo JPG/PNG ≤5 MB; no video through the API.
      row(new PlatformRules("google_business", TextUnit.CODE_POINTS, 1500, 0, true, 0, 1, 0, false, JPEG_PNG, 5 * MB, NONE, 0,
          0, 0, 0, 0, 0, List.of(
              OptionRule.optional("topic_type", Set.of("STANDARD", "EVENT", "OFFER", "ALERT"), "STANDARD (default), EVENT, OFFER or ALERT"),
              OptionRule.optional("call_to_action", Set.of("BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL"), "a button on the post"),
              OptionRule.optionalText("call_to_action_url", 2048, "the button's link"),
              OptionRule.optionalText("event_title", 58, "EVENT and OFFER: the event's or offer's title"),
              OptionRule.optionalText("event_start", 16, "EVENT and OFFER: when it starts, a date (2026-12-24) or the location's local time (2026-12-24T18:00)"),
              OptionRule.optionalText("event_end", 16, "EVENT and OFFER: when it ends, as event_start"),
              OptionRule.optionalText("offer_coupon_code", 58, "OFFER: the coupon code"),
              OptionRule.optionalText("offer_redeem_url", 2048, "OFFER: where to redeem it online"),
              OptionRule.optionalText("offer_terms", 5000, "OFFER: its terms and conditions")))));

  private static Map.Entry<String, PlatformRules> row(PlatformRules rules) {
    return Map.entry(rules.platform(), rules);
  }

  public static PlatformRules of(String platform) {
    return BY_PLATFORM.get(platform);
  }

  public int maxMedia() {
    return Math.max(maxImages, maxVideos);
  }
}
