package dev.postflow.contract.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.platform.ContentCheck.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Option checks beyond a value list: polls on X (POST /2/tweets "poll": 2 to 4 choices of 1 to 25 characters, 5 to
 * 10,080 minutes) and Mastodon (50
 * characters, 300 to 2,629,746 seconds), neither with media; Instagram collaborators.
 */
class PlatformOptionChecksTest {
  private static final PlatformRules X = PlatformRules.of("x");

  private static final PlatformRules MASTODON = PlatformRules.of("mastodon");

  private static List<String> codes(String text, List<MediaRef> media, Map<String, Object> options) {
    return codes(X, text, media, options);
  }

  private static List<String> codes(PlatformRules rules, String text, List<MediaRef> media, Map<String, Object> options) {
    return ContentCheck.check(rules, text, media, options).stream().map(v -> v.field() + ":" + v.code()).toList();
  }

  @Test
  void aPollWithTwoToFourShortChoicesIsFine() {
    assertEquals(List.of(), codes("Which one?", List.of(), Map.of("poll", "Tea | Coffee | Both", "poll_duration_minutes", "60")));
    assertEquals(List.of("Tea", "Coffee", "Both"), ContentCheck.pollChoices("Tea | Coffee | Both"));
  }

  @Test
  void everyProblemOfAPollIsNamed() {
    assertEquals(List.of("platform_options.x.poll:poll_choices"), codes("?", List.of(), Map.of("poll", "Only one")));
    assertEquals(List.of("platform_options.x.poll:poll_choices"), codes("?", List.of(), Map.of("poll", "a|b|c|d|e")));
    assertEquals(List.of("platform_options.x.poll:poll_choice_length", "platform_options.x.poll:poll_choice_length"),
        codes("?", List.of(), Map.of("poll", "|" + "x".repeat(26))));
    assertEquals(List.of("platform_options.x.poll_duration_minutes:invalid_option"),
        codes("?", List.of(), Map.of("poll", "a|b", "poll_duration_minutes", "4")));
    assertEquals(List.of("platform_options.x.poll_duration_minutes:invalid_option"),
        codes("?", List.of(), Map.of("poll", "a|b", "poll_duration_minutes", "10081")));
    assertEquals(List.of("platform_options.x.poll_duration_minutes:poll_required"), codes("?", List.of(), Map.of("poll_duration_minutes", "60")));
    MediaRef image = new MediaRef("med_1", "image/jpeg", 1_000, 10, 10, null, "https://media.example/1", null);
    assertTrue(codes("?", List.of(image), Map.of("poll", "a|b")).contains("media_ids:poll_with_media"));
  }

  @Test
  void mastodonPollsHaveTheirOwnLimits() {
    assertEquals(List.of(), codes(MASTODON, "?", List.of(), Map.of("poll", "a|" + "b".repeat(50), "poll_expires_in", "300")));
    assertEquals(List.of("platform_options.mastodon.poll:poll_choice_length"), codes(MASTODON, "?", List.of(), Map.of("poll", "a|" + "b".repeat(51))));
    assertEquals(List.of("platform_options.mastodon.poll_expires_in:invalid_option"),
        codes(MASTODON, "?", List.of(), Map.of("poll", "a|b", "poll_expires_in", "299")));
  }

  @Test
  void instagramTakesUpToThreeCollaboratorsAndNoneOnStories() {
    PlatformRules instagram = PlatformRules.of("instagram");
    MediaRef jpeg = new MediaRef("med_1", "image/jpeg", 1_000, 1080, 1080, null, "https://media.example/1", null);
    assertEquals(List.of(), codes(instagram, "hi", List.of(jpeg), Map.of("collaborators", "@ada, bob.b, c_3")));
    assertEquals(List.of("platform_options.instagram.collaborators:too_many_collaborators"),
        codes(instagram, "hi", List.of(jpeg), Map.of("collaborators", "a,b,c,d")));
    assertEquals(List.of("platform_options.instagram.collaborators:invalid_username"), codes(instagram, "hi", List.of(jpeg), Map.of("collaborators", "no spaces")));
    assertEquals(List.of("platform_options.instagram.collaborators:not_with_stories"),
        codes(instagram, "hi", List.of(jpeg), Map.of("collaborators", "ada", "media_type", "STORIES")));
  }

  @Test
  void aBlueskyThreadIsCheckedReplyByReply() {
    PlatformRules bluesky = PlatformRules.of("bluesky");
    assertEquals(List.of(), codes(bluesky, "1/3", List.of(), Map.of("thread", List.of("2/3", "3/3 👋"))));
    assertEquals(List.of("2/3", "3/3"), ContentCheck.thread(Map.of("thread", List.of("2/3", "3/3"))));
    // every problem, each with the reply it concerns: too long in graphemes, empty, and not a list of texts at all
    assertEquals(List.of("platform_options.bluesky.thread[1]:text_too_long", "platform_options.bluesky.thread[2]:text_required"),
        codes(bluesky, "1/4", List.of(), Map.of("thread", List.of("fine", "é".repeat(301), " "))));
    assertEquals(List.of("platform_options.bluesky.thread:invalid_type"), codes(bluesky, "1/2", List.of(), Map.of("thread", "just one text")));
    assertEquals(List.of("platform_options.bluesky.thread:invalid_type"), codes(bluesky, "1/2", List.of(), Map.of("thread", List.of(1, 2))));
    assertEquals(List.of("platform_options.bluesky.thread:thread_length"), codes(bluesky, "1/1", List.of(), Map.of("thread", List.of())));
    assertEquals(List.of("platform_options.bluesky.thread:thread_length"),
        codes(bluesky, "1/26", List.of(), Map.of("thread", java.util.Collections.nCopies(PlatformRules.MAX_THREAD_REPLIES + 1, "more"))));
    // Mastodon's own unit: a link counts 23 characters, so a reply of 480 letters and a long link fits
    assertEquals(List.of(), codes(MASTODON, "1/2", List.of(), Map.of("thread", List.of("a".repeat(470) + " https://example.com/" + "x".repeat(100)))));
    assertEquals(List.of("platform_options.mastodon.thread[0]:text_too_long"), codes(MASTODON, "1/2", List.of(), Map.of("thread", List.of("a".repeat(501)))));
    // refused where threads are not built, rather than publishing the first post alone
    PlatformRules linkedin = PlatformRules.of("linkedin");
    assertEquals(List.of("platform_options.linkedin.thread:thread_not_supported"), codes(linkedin, "1/2", List.of(), Map.of("thread", List.of("2/2"))));
    assertEquals("threads are published on bluesky, mastodon, threads, x; on linkedin not yet",
        ContentCheck.check(linkedin, "1/2", List.of(), Map.of("thread", List.of("2/2"))).get(0).message());
    // X counts each reply in its weighted unit: 140 emoji are 280
    assertEquals(List.of(), codes(X, "1/2", List.of(), Map.of("thread", List.of("😀".repeat(140)))));
    assertEquals(List.of("platform_options.x.thread[0]:text_too_long"), codes(X, "1/2", List.of(), Map.of("thread", List.of("😀".repeat(141)))));
  }

  @Test
  void aFirstCommentIsATextWithinThePlatformsLimitAndNotOnStories() {
    PlatformRules instagram = PlatformRules.of("instagram");
    MediaRef image = new MediaRef("med_1", "image/jpeg", 1_000, 1080, 1080, null, "https://media.example/1", null);
    assertEquals(List.of(), codes(instagram, "Sunset", List.of(image), Map.of("first_comment", "#sunset #sea")));
    assertEquals(List.of("platform_options.instagram.first_comment:too_long"),
        codes(instagram, "Sunset", List.of(image), Map.of("first_comment", "x".repeat(2201))));
    assertEquals(List.of("platform_options.instagram.first_comment:not_with_stories"),
        codes(instagram, "", List.of(image), Map.of("first_comment", "#story", "media_type", "STORIES")));
    assertEquals(List.of(), codes(PlatformRules.of("facebook"), "Menu", List.of(), Map.of("first_comment", "y".repeat(8000))));
    MediaRef video = new MediaRef("med_2", "video/mp4", 1_000, 1920, 1080, 60_000L, "https://media.example/2", null);
    assertEquals(List.of("platform_options.youtube.first_comment:too_long"), codes(PlatformRules.of("youtube"), "About", List.of(video),
        Map.of("title", "A video", "privacy", "public", "first_comment", "z".repeat(10_001))));
  }

  @Test
  void aQuotePostNamesAPostByItsIdAndHasNoPoll() {
    assertEquals(List.of(), codes("Worth reading", List.of(), Map.of("quote_tweet_id", "1346889436626259968")));
    assertEquals(List.of("platform_options.x.quote_tweet_id:invalid_id"),
        codes("Worth reading", List.of(), Map.of("quote_tweet_id", "x.com/1")));
    assertEquals(List.of("platform_options.x.quote_tweet_id:not_with_poll"),
        codes("Which?", List.of(), Map.of("quote_tweet_id", "1346889436626259968", "poll", "a|b")));
  }

  @Test
  void aReplyNamesThePostItAnswersAsEachPlatformIdentifiesPosts() {
    PlatformRules x = PlatformRules.of("x");
    PlatformRules mastodon = PlatformRules.of("mastodon");
    PlatformRules threads = PlatformRules.of("threads");
    PlatformRules bluesky = PlatformRules.of("bluesky");
    assertEquals(List.of(), codes(x, "Agreed", List.of(), Map.of("reply_to", "1460323737035677698")));
    assertEquals(List.of("platform_options.x.reply_to:invalid_id"), codes(x, "Agreed", List.of(), Map.of("reply_to", "x.com/1")));
    assertEquals(List.of(), codes(mastodon, "Agreed", List.of(), Map.of("reply_to", "109372843234")));
    assertEquals(List.of("platform_options.mastodon.reply_to:invalid_id"), codes(mastodon, "Agreed", List.of(), Map.of("reply_to", "@a@b/1")));
    assertEquals(List.of(), codes(threads, "Agreed", List.of(), Map.of("reply_to", "18028880000000001")));
    assertEquals(List.of("platform_options.threads.reply_to:invalid_id"), codes(threads, "Agreed", List.of(), Map.of("reply_to", "abc")));
    for (String post : List.of("at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l",
        "https://bsky.app/profile/alice.bsky.social/post/3l6oveex3ii2l", "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l")) {
      assertEquals(List.of(), codes(bluesky, "Agreed", List.of(), Map.of("reply_to", post)), post);
    }
    for (String notAPost : List.of("3l6oveex3ii2l", "at://did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l",
        "https://bsky.app/profile/alice.bsky.social/app.bsky.feed.post/3l6oveex3ii2l", "https://example.com/profile/alice.bsky.social/post/3l6")) {
      assertEquals(List.of("platform_options.bluesky.reply_to:invalid_id"), codes(bluesky, "Agreed", List.of(), Map.of("reply_to", notAPost)), notAPost);
    }
  }

  @Test
  void aTiktokDirectPostNeedsAPrivacyLevelAndAnInboxUploadLeavesItToTheCreator() {
    PlatformRules tiktok = PlatformRules.of("tiktok");
    MediaRef video = new MediaRef("med_3", "video/mp4", 1_000, 1080, 1920, 15_000L, "https://media.example/3", null);
    assertEquals(List.of(), codes(tiktok, "#fyp", List.of(video), Map.of("privacy_level", "SELF_ONLY")));
    assertEquals(List.of(), codes(tiktok, "#fyp", List.of(video), Map.of("privacy_level", "SELF_ONLY", "post_mode", "DIRECT_POST")));
    assertEquals(List.of("platform_options.tiktok.privacy_level:option_required"), codes(tiktok, "#fyp", List.of(video), Map.of()));
    assertEquals(List.of("platform_options.tiktok.privacy_level:option_required"),
        codes(tiktok, "#fyp", List.of(video), Map.of("post_mode", "DIRECT_POST")));
    assertEquals(List.of(), codes(tiktok, "#fyp", List.of(video), Map.of("post_mode", "MEDIA_UPLOAD")));
    assertEquals(List.of("platform_options.tiktok.privacy_level:not_with_media_upload"),
        codes(tiktok, "#fyp", List.of(video), Map.of("post_mode", "MEDIA_UPLOAD", "privacy_level", "SELF_ONLY")));
    assertEquals(List.of("platform_options.tiktok.post_mode:invalid_option", "platform_options.tiktok.privacy_level:option_required"),
        codes(tiktok, "#fyp", List.of(video), Map.of("post_mode", "DRAFT")));
  }

  @Test
  void aYoutubeThumbnailIsAJpegOrPngOfAtMostTwoMegabytesFromTheWorkspace() {
    PlatformRules youtube = PlatformRules.of("youtube");
    MediaRef video = new MediaRef("med_v", "video/mp4", 1_000, 1920, 1080, 60_000L, "https://media.example/v", null);
    Map<String, Object> options = Map.of("title", "A video", "privacy", "public", "thumbnail", "med_t");
    java.util.function.Function<MediaRef, List<String>> codesWith = thumbnail -> ContentCheck.check(youtube, "About", List.of(video), options,
        thumbnail == null ? Map.of() : Map.of("med_t", thumbnail)).stream().map(v -> v.field() + ":" + v.code()).toList();
    assertEquals(List.of(), codesWith.apply(new MediaRef("med_t", "image/png", 2L * 1024 * 1024, 1280, 720, null, null, null)));
    assertEquals(List.of("platform_options.youtube.thumbnail:media_not_found"), codesWith.apply(null));
    assertEquals(List.of("platform_options.youtube.thumbnail:media_type_not_supported"),
        codesWith.apply(new MediaRef("med_t", "image/webp", 1_000, 1280, 720, null, null, null)));
    assertEquals(List.of("platform_options.youtube.thumbnail:media_too_large"),
        codesWith.apply(new MediaRef("med_t", "image/jpeg", 2L * 1024 * 1024 + 1, 1280, 720, null, null, null)));
    assertEquals(List.of("med_t"), ContentCheck.optionMediaIds(options));
    assertEquals(List.of(), codes(youtube, "About", List.of(video), options), "not looked up: not checked");
  }

  @Test
  void googleEventAndOfferPostsNeedTheirEventAndKeepTheirOwnDetails() {
    PlatformRules google = PlatformRules.of("google_business");
    Map<String, Object> event = Map.of("topic_type", "EVENT", "event_title", "Tasting night", "event_start", "2026-12-24T18:00",
        "event_end", "2026-12-24T22:00");
    assertEquals(List.of(), codes(google, "Join us", List.of(), event));
    assertEquals(List.of(), codes(google, "20% off", List.of(), Map.of("topic_type", "OFFER", "event_title", "Winter sale",
        "event_start", "2026-12-26", "event_end", "2027-01-06", "offer_coupon_code", "WINTER20", "offer_terms", "In store only")));
    assertEquals(List.of("platform_options.google_business.event_title:option_required", "platform_options.google_business.event_start:option_required",
        "platform_options.google_business.event_end:option_required"), codes(google, "Join us", List.of(), Map.of("topic_type", "EVENT")));
    assertEquals(List.of("platform_options.google_business.event_end:invalid_option"), codes(google, "Join us", List.of(),
        Map.of("topic_type", "EVENT", "event_title", "T", "event_start", "2026-12-24T18:00", "event_end", "2026-12-24T17:00")));
    assertEquals(List.of("platform_options.google_business.event_start:invalid_option"), codes(google, "Join us", List.of(),
        Map.of("topic_type", "EVENT", "event_title", "T", "event_start", "24.12.2026", "event_end", "2026-12-24")));
    assertEquals(List.of("platform_options.google_business.event_title:not_with_topic_type",
        "platform_options.google_business.offer_coupon_code:not_with_topic_type"),
        codes(google, "News", List.of(), Map.of("event_title", "T", "offer_coupon_code", "X")));
    assertEquals(List.of("platform_options.google_business.call_to_action:not_with_topic_type"), codes(google, "20% off", List.of(),
        Map.of("topic_type", "OFFER", "event_title", "Sale", "event_start", "2026-12-26", "event_end", "2026-12-27", "call_to_action", "SHOP")));
  }

  @Test
  void aThreadsPollHasTwoToFourShortChoicesOnATextPost() {
    PlatformRules threads = PlatformRules.of("threads");
    assertEquals(List.of(), codes(threads, "Which?", List.of(), Map.of("poll", "a|b|c|d")));
    assertEquals(List.of("platform_options.threads.poll:poll_choices"), codes(threads, "Which?", List.of(), Map.of("poll", "a|b|c|d|e")));
    assertEquals(List.of("platform_options.threads.poll:poll_choice_length"), codes(threads, "Which?", List.of(), Map.of("poll", "a|" + "b".repeat(26))));
    MediaRef image = new MediaRef("med_1", "image/jpeg", 1_000, 1080, 1080, null, "https://media.example/1", null);
    assertEquals(List.of("media_ids:poll_with_media"), codes(threads, "Which?", List.of(image), Map.of("poll", "a|b")));
  }

  @Test
  void aYoutubePublishAtIsATimeWithItsOffsetOnAPrivateVideo() {
    PlatformRules youtube = PlatformRules.of("youtube");
    MediaRef video = new MediaRef("med_v", "video/mp4", 1_000, 1920, 1080, 60_000L, "https://media.example/v", null);
    assertEquals(List.of(), codes(youtube, "About", List.of(video), Map.of("title", "T", "privacy", "private", "publish_at", "2026-12-24T18:00:00Z")));
    assertEquals(List.of("platform_options.youtube.publish_at:not_with_privacy"),
        codes(youtube, "About", List.of(video), Map.of("title", "T", "privacy", "public", "publish_at", "2026-12-24T18:00:00+01:00")));
    assertEquals(List.of("platform_options.youtube.publish_at:invalid_option"),
        codes(youtube, "About", List.of(video), Map.of("title", "T", "privacy", "private", "publish_at", "2026-12-24 18:00")));
  }

  @Test
  void aThreadsReplyMayCarryMediaCheckedAsAPostsAre() {
    PlatformRules bluesky = PlatformRules.of("bluesky");
    MediaRef jpeg = new MediaRef("med_j", "image/jpeg", 1_000, 1080, 1080, null, "https://media.example/j", null);
    MediaRef big = new MediaRef("med_big", "image/jpeg", 2_000_001, 1080, 1080, null, "https://media.example/big", null);
    Map<String, MediaRef> found = Map.of("med_j", jpeg, "med_big", big);
    java.util.function.Function<Map<String, Object>, List<String>> check = options -> ContentCheck.check(bluesky, "1/3", List.of(), options, found)
        .stream().map(v -> v.field() + ":" + v.code()).toList();
    Map<String, Object> reply = Map.of("text", "2/3 with a picture", "media_ids", List.of("med_j"));
    assertEquals(List.of(), check.apply(Map.of("thread", List.of(reply, "3/3 text only"))));
    assertEquals(List.of(), check.apply(Map.of("thread", List.of(Map.of("media_ids", List.of("med_j"))))), "media alone is a reply");
    assertEquals(List.of("med_j", "med_j"), ContentCheck.optionMediaIds(Map.of("thread", List.of(reply, reply))));
    assertEquals(List.of("platform_options.bluesky.thread[0].media_ids[0]:media_too_large"),
        check.apply(Map.of("thread", List.of(Map.of("text", "big", "media_ids", List.of("med_big"))))));
    assertEquals(List.of("platform_options.bluesky.thread[0].media_ids[1]:media_not_found"),
        check.apply(Map.of("thread", List.of(Map.of("text", "x", "media_ids", List.of("med_j", "med_gone"))))));
    assertEquals(List.of("platform_options.bluesky.thread[0].media_ids:too_many_media"),
        check.apply(Map.of("thread", List.of(Map.of("text", "x", "media_ids", List.of("med_j", "med_j", "med_j", "med_j", "med_j"))))));
    assertEquals(List.of("platform_options.bluesky.thread[0].text:text_too_long"),
        check.apply(Map.of("thread", List.of(Map.of("text", "y".repeat(301), "media_ids", List.of("med_j"))))));
    assertEquals(List.of("platform_options.bluesky.thread[0].text:text_required"), check.apply(Map.of("thread", List.of(Map.of()))));
    assertEquals(List.of("platform_options.bluesky.thread[0].media_ids:invalid_type"),
        check.apply(Map.of("thread", List.of(Map.of("text", "x", "media_ids", "med_j")))));
    assertEquals(List.of(), ContentCheck.check(PlatformRules.of("threads"), "1/2", List.of(), Map.of("thread", List.of(reply)), found),
        "Threads' replies take media too");
  }

  @Test
  void disclosuresAreBooleansAndBrandedTikTokContentIsNotPrivate() {
    PlatformRules tiktok = PlatformRules.of("tiktok");
    MediaRef video = new MediaRef("med_3", "video/mp4", 1_000, 1080, 1920, 15_000L, "https://media.example/3", null);
    assertEquals(List.of(), codes(tiktok, "#ad", List.of(video), Map.of("privacy_level", "PUBLIC_TO_EVERYONE", "brand_content_toggle", true, "is_aigc", true)));
    assertEquals(List.of("platform_options.tiktok.privacy_level:not_with_branded_content"),
        codes(tiktok, "#ad", List.of(video), Map.of("privacy_level", "SELF_ONLY", "brand_content_toggle", true)));
    assertEquals(List.of("platform_options.tiktok.is_aigc:invalid_type"), codes(tiktok, "#ai", List.of(video), Map.of("privacy_level", "SELF_ONLY", "is_aigc", "yes")));
    MediaRef clip = new MediaRef("med_v", "video/mp4", 1_000, 1920, 1080, 60_000L, "https://media.example/v", null);
    assertEquals(List.of("platform_options.youtube.contains_synthetic_media:invalid_type"), codes(PlatformRules.of("youtube"), "About", List.of(clip),
        Map.of("title", "T", "privacy", "public", "contains_synthetic_media", "true")));
  }

  @Test
  void instagramReelOptionsNeedAReel() {
    PlatformRules instagram = PlatformRules.of("instagram");
    MediaRef reel = new MediaRef("med_r", "video/mp4", 1_000, 720, 1280, 8_000L, "https://media.example/r", null);
    MediaRef image = new MediaRef("med_i", "image/jpeg", 1_000, 1080, 1080, null, "https://media.example/i", null);
    MediaRef png = new MediaRef("med_p", "image/png", 1_000, 1080, 1080, null, "https://media.example/p", null);
    assertEquals(List.of(), ContentCheck.check(instagram, "A reel", List.of(reel), Map.of("share_to_feed", true, "thumb_offset", 0, "cover", "med_i"),
        Map.of("med_i", image)).stream().map(Violation::code).toList());
    assertEquals(List.of("platform_options.instagram.cover:media_type_not_supported"), ContentCheck.check(instagram, "A reel", List.of(reel),
        Map.of("cover", "med_p"), Map.of("med_p", png)).stream().map(v -> v.field() + ":" + v.code()).toList());
    assertEquals(List.of("platform_options.instagram.thumb_offset:invalid_option"), codes(instagram, "A reel", List.of(reel), Map.of("thumb_offset", 9_000)));
    assertEquals(List.of("platform_options.instagram.share_to_feed:not_a_reel"), codes(instagram, "A picture", List.of(image), Map.of("share_to_feed", true)));
    assertEquals(List.of(), codes(instagram, "Tagged", List.of(image), Map.of("user_tags", List.of(Map.of("username", "ada", "x", 0.5, "y", 1)))));
    assertEquals(List.of("platform_options.instagram.user_tags[0]:invalid_tag"),
        codes(instagram, "Tagged", List.of(image), Map.of("user_tags", List.of(Map.of("username", "ada", "x", 1.5, "y", 0.5)))));
  }

  @Test
  void instagramUserTagsArePlacedOnImagesNamedOnCarouselsAndUnplacedOnReels() {
    PlatformRules instagram = PlatformRules.of("instagram");
    MediaRef reel = new MediaRef("med_r", "video/mp4", 1_000, 720, 1280, 8_000L, "https://media.example/r", null);
    MediaRef image = new MediaRef("med_i", "image/jpeg", 1_000, 1080, 1080, null, "https://media.example/i", null);
    Map<String, Object> ada = Map.of("username", "ada", "x", 0.5, "y", 0.5);
    // a carousel: each tag names its image; not a video of it, not beyond its end
    assertEquals(List.of(), codes(instagram, "Two", List.of(image, image), Map.of("user_tags", List.of(
        Map.of("username", "ada", "x", 0.5, "y", 0.5, "media_index", 1), Map.of("username", "bob", "x", 0.1, "y", 0.9, "media_index", 0)))));
    assertEquals(List.of("platform_options.instagram.user_tags[0].media_index:invalid_option"),
        codes(instagram, "Two", List.of(image, image), Map.of("user_tags", List.of(ada))));
    assertEquals(List.of("platform_options.instagram.user_tags[0].media_index:invalid_option",
            "platform_options.instagram.user_tags[1].media_index:invalid_option"),
        codes(instagram, "Mixed", List.of(image, reel), Map.of("user_tags", List.of(Map.of("username", "ada", "x", 0.5, "y", 0.5, "media_index", 1),
            Map.of("username", "ada", "x", 0.5, "y", 0.5, "media_index", 2)))));
    // a reel: usernames without a position
    assertEquals(List.of(), codes(instagram, "A reel", List.of(reel), Map.of("user_tags", List.of(Map.of("username", "ada")))));
    assertEquals(List.of("platform_options.instagram.user_tags[0]:invalid_tag"), codes(instagram, "A reel", List.of(reel), Map.of("user_tags", List.of(ada))));
    // a story: a position or none; a single image: a position, and no media_index
    assertEquals(List.of(), codes(instagram, "", List.of(image), Map.of("media_type", "STORIES", "user_tags", List.of(Map.of("username", "ada")))));
    assertEquals(List.of("platform_options.instagram.user_tags[0]:invalid_tag"), codes(instagram, "One", List.of(image), Map.of("user_tags",
        List.of(Map.of("username", "ada")))));
    assertEquals(List.of("platform_options.instagram.user_tags[0].media_index:invalid_option"), codes(instagram, "One", List.of(image),
        Map.of("user_tags", List.of(Map.of("username", "ada", "x", 0.5, "y", 0.5, "media_index", 0)))));
  }

  @Test
  void aDocumentGoesAloneWithItsTitleToLinkedInOnly() {
    PlatformRules linkedin = PlatformRules.of("linkedin");
    MediaRef pdf = new MediaRef("med_doc", "application/pdf", 2_000_000, null, null, null, "https://media.example/doc", null);
    MediaRef image = new MediaRef("med_img", "image/jpeg", 1_000, 10, 10, null, "https://media.example/img", null);
    assertEquals(List.of(), codes(linkedin, "Our 2026 report", List.of(pdf), Map.of("document_title", "Report 2026")));
    assertEquals(List.of("platform_options.linkedin.document_title:option_required"), codes(linkedin, "?", List.of(pdf), Map.of()));
    assertEquals(List.of("platform_options.linkedin.document_title:not_without_document"),
        codes(linkedin, "?", List.of(image), Map.of("document_title", "Report")));
    assertEquals(List.of("media_ids:document_not_alone"), codes(linkedin, "?", List.of(pdf, image), Map.of("document_title", "Report")));
    MediaRef huge = new MediaRef("med_big", "application/pdf", PlatformRules.MAX_DOCUMENT_BYTES + 1, null, null, null, "https://media.example/big", null);
    assertEquals(List.of("media_ids[0]:media_too_large"), codes(linkedin, "?", List.of(huge), Map.of("document_title", "Report")));
    // every other platform refuses a document, whatever else the post has; in a thread's reply too
    assertEquals(List.of("media_ids[0]:media_type_not_supported"), codes("?", List.of(pdf), Map.of()));
    assertEquals(List.of("media_ids[0]:media_type_not_supported"), codes(PlatformRules.of("facebook"), "?", List.of(pdf), Map.of()));
    List<String> reply = ContentCheck.check(X, "1/2", List.of(), Map.of("thread", List.of(Map.of("text", "2/2", "media_ids", List.of("med_doc")))),
        Map.of("med_doc", pdf)).stream().map(v -> v.field() + ":" + v.code()).toList();
    assertEquals(List.of("platform_options.x.thread[0].media_ids[0]:media_type_not_supported"), reply);
  }

  @Test
  void captionsAreWebVttFilesOfTheVideoOnePerLanguageWithinThePlatformsSize() {
    PlatformRules bluesky = PlatformRules.of("bluesky");
    PlatformRules youtube = PlatformRules.of("youtube");
    MediaRef video = new MediaRef("med_v", "video/mp4", 5_000_000, 1280, 720, 30_000L, "https://media.example/v", null);
    MediaRef en = new MediaRef("med_en", "text/vtt", 1_200, null, null, null, "https://media.example/en", null);
    MediaRef big = new MediaRef("med_big", "text/vtt", 25_000, null, null, null, "https://media.example/big", null);
    MediaRef image = new MediaRef("med_i", "image/jpeg", 1_000, 10, 10, null, "https://media.example/i", null);
    Map<String, MediaRef> found = Map.of("med_en", en, "med_big", big, "med_i", image);
    java.util.function.BiFunction<PlatformRules, Map<String, Object>, List<String>> check = (rules, options) -> ContentCheck.check(rules, "Watch",
        List.of(video), options, found).stream().map(v -> v.field() + ":" + v.code()).toList();
    Map<String, Object> fine = Map.of("captions", List.of(Map.of("lang", "en", "media_id", "med_en")));
    assertEquals(List.of(), check.apply(bluesky, fine));
    assertEquals(List.of(), check.apply(youtube, Map.of("title", "T", "privacy", "public", "captions", List.of(Map.of("lang", "en", "media_id", "med_big")))));
    assertEquals(List.of("med_en"), ContentCheck.optionMediaIds(fine), "held and sent like the post's media");

    // Bluesky takes caption files of at most 20,000 bytes; a picture is not a caption file; one file per language
    assertEquals(List.of("platform_options.bluesky.captions[0].media_id:media_too_large",
            "platform_options.bluesky.captions[1].media_id:media_type_not_supported"),
        check.apply(bluesky, Map.of("captions", List.of(Map.of("lang", "de", "media_id", "med_big"), Map.of("lang", "fr", "media_id", "med_i")))));
    assertEquals(List.of("platform_options.bluesky.captions[1].lang:duplicate_language", "platform_options.bluesky.captions[2].lang:invalid_option",
            "platform_options.bluesky.captions[2].media_id:option_required", "platform_options.bluesky.captions[3].media_id:media_not_found"),
        check.apply(bluesky, Map.of("captions", List.of(Map.of("lang", "en", "media_id", "med_en"), Map.of("lang", "EN", "media_id", "med_en"),
            Map.of("lang", "english!"), Map.of("lang", "es", "media_id", "med_gone")))));
    // captions belong to a video; a caption file is not a post's media
    assertEquals(List.of("platform_options.bluesky.captions:not_without_video"),
        codes(bluesky, "no video", List.of(), Map.of("captions", List.of(Map.of("lang", "en", "media_id", "med_en")))));
    assertEquals(List.of("media_ids[0]:media_type_not_supported"), codes(bluesky, "a file", List.of(en), Map.of()));
  }

  @Test
  void aBlueskyRepliesVideoHasItsOwnCaptionsAndAReplyTakesNoFieldItWouldDrop() {
    PlatformRules bluesky = PlatformRules.of("bluesky");
    MediaRef video = new MediaRef("med_rv", "video/mp4", 5_000_000, 1280, 720, 30_000L, "https://media.example/rv", null);
    MediaRef image = new MediaRef("med_ri", "image/jpeg", 1_000, 10, 10, null, "https://media.example/ri", null);
    MediaRef en = new MediaRef("med_ren", "text/vtt", 1_200, null, null, null, "https://media.example/ren", null);
    Map<String, MediaRef> found = Map.of("med_rv", video, "med_ri", image, "med_ren", en);
    java.util.function.Function<List<Object>, List<String>> check = thread -> ContentCheck.check(bluesky, "1/2", List.of(),
        Map.of("thread", thread), found).stream().map(v -> v.field() + ":" + v.code()).toList();
    Map<String, Object> captioned = Map.of("text", "2/2", "media_ids", List.of("med_rv"), "captions", List.of(Map.of("lang", "en", "media_id", "med_ren")));
    assertEquals(List.of(), check.apply(List.of(captioned)));
    assertEquals(List.of("med_rv", "med_ren"), ContentCheck.optionMediaIds(Map.of("thread", List.of(captioned))), "held and signed like the reply's video");
    assertEquals(List.of(new ContentCheck.Caption("en", "med_ren")), ContentCheck.threadPosts(Map.of("thread", List.of(captioned))).get(0).captions());

    // captions need the reply's video; each file as the post's; one per language
    assertEquals(List.of("platform_options.bluesky.thread[0].captions:not_without_video"),
        check.apply(List.of(Map.of("text", "2/2", "media_ids", List.of("med_ri"), "captions", List.of(Map.of("lang", "en", "media_id", "med_ren"))))));
    assertEquals(List.of("platform_options.bluesky.thread[0].captions[1].lang:duplicate_language",
            "platform_options.bluesky.thread[0].captions[1].media_id:media_type_not_supported"),
        check.apply(List.of(Map.of("text", "2/2", "media_ids", List.of("med_rv"), "captions",
            List.of(Map.of("lang", "en", "media_id", "med_ren"), Map.of("lang", "en", "media_id", "med_ri"))))));
    // a field a reply does not take is named, never dropped in silence (Mastodon has no captions)
    assertEquals(List.of("platform_options.bluesky.thread[0].alt_text:unknown_field"),
        check.apply(List.of(Map.of("text", "2/2", "alt_text", "a cat"))));
    assertEquals(List.of("platform_options.mastodon.thread[0].captions:unknown_field"),
        ContentCheck.check(MASTODON, "1/2", List.of(), Map.of("thread", List.of(Map.of("text", "2/2", "captions", List.of()))), found)
            .stream().map(v -> v.field() + ":" + v.code()).toList());
  }

  @Test
  void aLinkedInLinkCardHasATitleNoMediaAndAnImageFromTheWorkspace() {
    PlatformRules linkedin = PlatformRules.of("linkedin");
    MediaRef png = new MediaRef("med_card", "image/png", 50_000, 1200, 627, null, "https://media.example/card", null);
    MediaRef video = new MediaRef("med_vid", "video/mp4", 5_000_000, 1280, 720, 10_000L, "https://media.example/vid", null);
    java.util.function.BiFunction<List<MediaRef>, Map<String, Object>, List<String>> check = (media, options) -> ContentCheck.check(linkedin,
        "Read this", media, options, Map.of("med_card", png, "med_vid", video)).stream().map(v -> v.field() + ":" + v.code()).toList();
    Map<String, Object> card = Map.of("link", "https://example.com/report", "link_title", "The 2026 report", "link_thumbnail", "med_card");
    assertEquals(List.of(), check.apply(List.of(), card));
    assertEquals(List.of("med_card"), ContentCheck.optionMediaIds(card), "the card's image is held and sent like the post's media");
    assertEquals(List.of("platform_options.linkedin.link:not_with_media"), check.apply(List.of(png), card));
    assertEquals(List.of("platform_options.linkedin.link:invalid_option", "platform_options.linkedin.link_title:option_required"),
        check.apply(List.of(), Map.of("link", "example.com/report")));
    assertEquals(List.of("platform_options.linkedin.link_title:not_without_link"), check.apply(List.of(), Map.of("link_title", "A title")));
    assertEquals(List.of("platform_options.linkedin.link_thumbnail:media_type_not_supported"),
        check.apply(List.of(), Map.of("link", "https://example.com", "link_title", "T", "link_thumbnail", "med_vid")));
  }
}
