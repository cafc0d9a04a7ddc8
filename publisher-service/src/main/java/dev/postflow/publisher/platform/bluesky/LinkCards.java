package dev.postflow.publisher.platform.bluesky;

import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Bluesky link card shows (docs/platforms §6: {@code app.bsky.embed.external}, uri, title, description, a thumb
 * blob of at most 1,000,000 bytes): Bluesky's apps build the card in the client, so a post made through the API has none
 * unless we do the same. The linked page's Open Graph tags ({@code og:title}, {@code og:description}, {@code og:image};
 * else {@code twitter:*}, {@code <title>}, {@code description}) are read from its first 512 KiB.
 *
 * <p>The page is the post author's link, so every URL (the page, each redirect, the image) passes the SSRF guard
 * before it is fetched, redirects are followed by hand (at most 3), and reads are bounded in time and size.
 * Blocking: call it on a worker thread.
 */
final class LinkCards {
  /** The card's contents; {@code image}: the thumb's bytes and type, or null. */
  record Card(String uri, String title, String description, byte[] image, String imageType) {}

  static final int MAX_PAGE_BYTES = 512 * 1024;
  static final int MAX_THUMB_BYTES = 1_000_000;
  private static final Pattern META = Pattern.compile("<meta\\s[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z:_-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')");
  private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]*)</title>", Pattern.CASE_INSENSITIVE);

  private final AddressPolicy policy;
  private final OutboundHttp http;

  LinkCards(AddressPolicy policy) {
    this.policy = policy;
    this.http = OutboundHttp.guarded(policy, Duration.ofSeconds(5), "Postflow link card");
  }

  /** The card of {@code url}, or null when the page cannot be read or says nothing (the post then goes without one). */
  Card read(String url) throws IOException {
    Fetched page = fetch(url, MAX_PAGE_BYTES);
    if (page == null || !page.type().startsWith("text/html")) return null;
    String html = new String(page.body(), StandardCharsets.UTF_8);
    String title = first(meta(html, "og:title"), meta(html, "twitter:title"), title(html));
    String description = first(meta(html, "og:description"), meta(html, "twitter:description"), meta(html, "description"));
    if (title == null && description == null) return null;
    String imageUrl = first(meta(html, "og:image"), meta(html, "twitter:image"));
    Fetched image = null;
    if (imageUrl != null) {
      try {
        image = fetch(page.uri().resolve(imageUrl).toString(), MAX_THUMB_BYTES);
      } catch (IOException | IllegalArgumentException unreadable) {
        image = null; // a card without a thumb
      }
    }
    boolean usable = image != null && image.type().startsWith("image/") && !image.truncated();
    return new Card(url, clip(title == null ? "" : title, 300), clip(description == null ? "" : description, 1000),
        usable ? image.body() : null, usable ? image.type() : null);
  }

  private record Fetched(URI uri, String type, byte[] body, boolean truncated) {}

  /** GET with the guard at every hop (and at every connect); null for anything but 200. At most {@code limit} bytes are read. */
  private Fetched fetch(String url, int limit) throws IOException {
    URI uri = URI.create(url);
    for (int hop = 0; hop <= 3; hop++) {
      if (policy.whyUnsafe(uri.toString()) != null) return null;
      OutboundHttp.Answer response = http.send("GET", uri.toString(), Map.of("Accept", "text/html,image/*;q=0.9,*/*;q=0.1"), null, limit);
      String location = response.header("Location");
      if (response.status() >= 300 && response.status() < 400 && location != null) {
        uri = uri.resolve(location);
        continue;
      }
      if (response.status() != 200) return null;
      String type = response.header("Content-Type");
      return new Fetched(uri, type == null ? "" : type.toLowerCase(), response.body(), response.truncated());
    }
    return null;
  }

  /** The content of {@code <meta property|name="key" content="…">}, in either attribute order. */
  static String meta(String html, String key) {
    Matcher tag = META.matcher(html);
    while (tag.find()) {
      String name = null;
      String content = null;
      Matcher attribute = ATTRIBUTE.matcher(tag.group());
      while (attribute.find()) {
        String value = attribute.group(3) != null ? attribute.group(3) : attribute.group(4);
        switch (attribute.group(1).toLowerCase()) {
          case "property", "name" -> name = value;
          case "content" -> content = value;
          default -> { }
        }
      }
      if (key.equalsIgnoreCase(name) && content != null && !content.isBlank()) return unescape(content.trim());
    }
    return null;
  }

  private static String title(String html) {
    Matcher title = TITLE.matcher(html);
    return title.find() && !title.group(1).isBlank() ? unescape(title.group(1).trim()) : null;
  }

  private static String first(String... values) {
    for (String value : values) if (value != null) return value;
    return null;
  }

  private static String clip(String text, int max) {
    return text.codePointCount(0, text.length()) <= max ? text : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
  }

  private static String unescape(String text) {
    return text.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&nbsp;", " ").replace("&amp;", "&");
  }
}
