package dev.postflow.publisher.platform.bluesky;

import dev.postflow.contract.platform.TextCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bluesky does not detect links, mentions or hashtags: the client sends facets whose byteStart/byteEnd are
 * UTF-8 byte offsets into the text (docs/platforms §6).
 */
final class Facets {
  private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_])@([a-zA-Z0-9][a-zA-Z0-9.-]*\\.[a-zA-Z]{2,})");
  private static final Pattern TAG = Pattern.compile("(?<![\\p{L}\\p{N}_&])#([\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*)");

  private Facets() {}

  /** {@code dids}: handle → DID for the mentions that resolved (unresolved mentions stay plain text). */
  static JsonArray of(String text, Map<String, String> dids) {
    JsonArray facets = new JsonArray();
    if (text == null || text.isEmpty()) return facets;
    Matcher link = TextCounter.URL.matcher(text);
    while (link.find()) {
      String uri = TextCounter.trimTrailingPunctuation(link.group());
      facets.add(facet(text, link.start(), link.start() + uri.length(), new JsonObject().put("$type", "app.bsky.richtext.facet#link").put("uri", uri)));
    }
    Matcher mention = MENTION.matcher(text);
    while (mention.find()) {
      String did = dids.get(mention.group(1).toLowerCase());
      if (did == null) continue;
      facets.add(facet(text, mention.start(), mention.end(), new JsonObject().put("$type", "app.bsky.richtext.facet#mention").put("did", did)));
    }
    Matcher tag = TAG.matcher(text);
    while (tag.find()) {
      facets.add(facet(text, tag.start(), tag.end(), new JsonObject().put("$type", "app.bsky.richtext.facet#tag").put("tag", tag.group(1))));
    }
    return facets;
  }

  /** Handles mentioned in the text (to resolve to DIDs). */
  static java.util.Set<String> mentionedHandles(String text) {
    java.util.Set<String> handles = new java.util.LinkedHashSet<>();
    if (text == null) return handles;
    Matcher mention = MENTION.matcher(text);
    while (mention.find()) handles.add(mention.group(1).toLowerCase());
    return handles;
  }

  private static JsonObject facet(String text, int start, int end, JsonObject feature) {
    int byteStart = text.substring(0, start).getBytes(StandardCharsets.UTF_8).length;
    int byteEnd = byteStart + text.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
    return new JsonObject()
        .put("index", new JsonObject().put("byteStart", byteStart).put("byteEnd", byteEnd))
        .put("features", new JsonArray().add(feature));
  }
}
