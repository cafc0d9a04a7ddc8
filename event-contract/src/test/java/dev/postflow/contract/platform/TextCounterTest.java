package dev.postflow.contract.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the platform counters: random texts built from pieces whose weight in each unit is known
 * (emoji ZWJ sequences, flags, skin tones, combining marks, CJK, URLs), so the expected count is the sum of the pieces.
 */
class TextCounterTest {
  /** A piece of text and what it weighs: graphemes, X weighted, Threads, Mastodon. */
  record Piece(String text, int graphemes, int x, int threads, int mastodon) {}

  static final List<Piece> PIECES = List.of(
      new Piece("a", 1, 1, 1, 1),
      new Piece("Z", 1, 1, 1, 1),
      new Piece(" ", 1, 1, 1, 1),
      new Piece("e\u0301", 1, 1, 2, 2),                  // e + combining acute: one grapheme; NFC makes it one for X
      new Piece("漢", 1, 2, 1, 1),                        // CJK: 2 for X
      new Piece("한", 1, 2, 1, 1),
      new Piece("👍", 1, 2, 4, 1),                        // emoji: 2 for X, its 4 UTF-8 bytes for Threads
      new Piece("👍🏽", 1, 2, 8, 2),                        // with a skin tone: still one emoji
      new Piece("👨‍👩‍👧‍👦", 1, 2, 25, 7),                     // ZWJ family: one grapheme, one emoji for X
      new Piece("🇫🇷", 1, 2, 8, 2),                        // flag: two regional indicators
      new Piece(" https://example.com/some/long/path?x=1 ", 40, 25, 40, 25)); // a URL counts 23 for X and Mastodon

  @Test
  void countsAreTheSumOfTheirPieces() {
    Random random = new Random(20261201);
    for (int round = 0; round < 2000; round++) {
      // X's counter (twitter-text) ignores white space at the ends: texts start and end with a letter
      StringBuilder text = new StringBuilder("a");
      int graphemes = 2, x = 2, threads = 2, mastodon = 2;
      int pieces = 1 + random.nextInt(40);
      for (int i = 0; i < pieces; i++) {
        Piece piece = PIECES.get(random.nextInt(PIECES.size()));
        text.append(piece.text());
        graphemes += piece.graphemes();
        x += piece.x();
        threads += piece.threads();
        mastodon += piece.mastodon();
      }
      String s = text.append('a').toString();
      assertEquals(graphemes, TextCounter.length(TextUnit.GRAPHEMES, s), () -> "graphemes of " + s);
      assertEquals(x, TextCounter.length(TextUnit.X_WEIGHTED, s), () -> "X weighted length of " + s);
      assertEquals(threads, TextCounter.length(TextUnit.THREADS, s), () -> "Threads length of " + s);
      assertEquals(mastodon, TextCounter.length(TextUnit.MASTODON, s), () -> "Mastodon length of " + s);
      assertEquals(s.getBytes(StandardCharsets.UTF_8).length, TextCounter.length(TextUnit.UTF8_BYTES, s));
      assertEquals(s.length(), TextCounter.length(TextUnit.UTF16, s));
      assertEquals(s.codePointCount(0, s.length()), TextCounter.length(TextUnit.CODE_POINTS, s));
    }
  }

  @Test
  void hashtagsMentionsAndDistinctLinks() {
    String text = "Launch day! #launch #día2 @alice @bob@mastodon.social see https://a.example/x, https://a.example/x and http://b.example. "
        + "Not tags: issue#12 email me@example.com #123";
    assertEquals(2, TextCounter.hashtags(text));
    assertEquals(2, TextCounter.mentions(text));
    assertEquals(List.of("https://a.example/x", "http://b.example"), List.copyOf(TextCounter.links(text)));
  }

  @Test
  void blueskyLimitsAreGraphemesAndBytes() {
    PlatformRules bluesky = PlatformRules.of("bluesky");
    String families = "👨‍👩‍👧‍👦".repeat(120); // 120 graphemes but 3,000 bytes: exactly at the byte cap
    assertEquals(List.of(), ContentCheck.check(bluesky, families, List.of(), java.util.Map.of()));
    List<ContentCheck.Violation> over = ContentCheck.check(bluesky, families + "👨‍👩‍👧‍👦", List.of(), java.util.Map.of());
    assertEquals(1, over.size());
    assertEquals(3000L, over.get(0).limit());
  }
}
