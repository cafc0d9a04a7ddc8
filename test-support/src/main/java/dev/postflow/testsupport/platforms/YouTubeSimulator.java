package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * YouTube's resumable upload protocol (docs/platforms §9): the session is opened with the video resource and
 * X-Upload-Content-Length, answered in Location; PUT bytes (308 + Range while incomplete, 201 with the video when
 * complete); {@code Content-Range: bytes *}/N asks a session's state. Failures for {@link #failNext} on
 * "/upload/youtube": "quota_exceeded", "expired_token", and on "/sessions/": "interrupt" (accepts half the bytes,
 * then answers 503), and on "/thumbnails/set": "not_verified" (403 forbidden, as for a channel that may not set
 * custom thumbnails), and on "/captions": "caption_refused" (403) and "caption_lost" (added, answered 5 s late).
 */
public class YouTubeSimulator extends Simulator {
  public static final String TOKEN = "youtube-token";
  public static final String CHANNEL_ID = "UC_x5XG1OV2P6uZZ5FSM9Ttw";
  /** Google OAuth 2.0: PKCE, access_type=offline and prompt=consent (else no refresh token), client id and secret in the form. */
  public final OAuthServer oauth = new OAuthServer(this, "google", new OAuthServer.Dialect("/o/oauth2/v2/auth", "/token", "client_id", false, true,
      Map.of("access_type", "offline", "prompt", "consent"), 3599), true, tokens -> tokens);
  public final List<JsonNode> videos = new CopyOnWriteArrayList<>();
  /** Video ids taken down with videos.delete, in order (they stay in {@link #videos}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  /** Custom thumbnails set (thumbnails.set), by video id: the image's type and size. */
  public final Map<String, Map<String, Object>> thumbnails = new ConcurrentHashMap<>();
  /** Comment threads on the videos (commentThreads.insert). */
  public final List<Map<String, Object>> comments = new CopyOnWriteArrayList<>();
  /** Caption tracks added (captions.insert): id, snippet (videoId, language, name, trackKind) and the file's size. */
  public final List<Map<String, Object>> captions = new CopyOnWriteArrayList<>();
  private final Map<String, byte[]> received = new ConcurrentHashMap<>();
  private final Map<String, Long> expected = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> resources = new ConcurrentHashMap<>();
  private final Map<String, String> done = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1);

  public YouTubeSimulator() {
    route("GET", "/youtube/v3/channels", (call, path) -> oauth.accepts(call) && "true".equals(call.query().get("mine"))
        ? Answer.json(200, Map.of("kind", "youtube#channelListResponse", "items", java.util.List.of(Map.of("kind", "youtube#channel", "id", CHANNEL_ID,
            "snippet", Map.of("title", "Ada's channel", "customUrl", "@adachannel")))))
        : Answer.json(401, Map.of("error", Map.of("code", 401, "message", "Request had invalid authentication credentials.", "status", "UNAUTHENTICATED"))));
    route("POST", "/upload/youtube/v3/videos", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      if ("quota_exceeded".equals(failure)) return error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.");
      if (!"resumable".equals(call.query().get("uploadType"))) return error(400, "badRequest", "uploadType must be resumable");
      JsonNode resource = call.json();
      if (resource.path("snippet").path("title").asText().isEmpty()) return error(400, "invalidTitle", "The video title is empty");
      String publishAt = resource.path("status").path("publishAt").asText("");
      if (!publishAt.isEmpty() && (!"private".equals(resource.path("status").path("privacyStatus").asText())
          || !java.time.OffsetDateTime.parse(publishAt).toInstant().isAfter(java.time.Instant.now()))) {
        return error(400, "invalidPublishAt", "The request metadata specifies an invalid scheduled publishing time.");
      }
      ((com.fasterxml.jackson.databind.node.ObjectNode) resource).put("inserted_at", java.time.Instant.now().toString()); // quota use
      String session = "s" + ids.incrementAndGet();
      expected.put(session, Long.parseLong(call.header("X-Upload-Content-Length")));
      received.put(session, new byte[0]);
      resources.put(session, resource);
      return Answer.empty(200).with("Location", baseUrl() + "/sessions/" + session);
    });
    // commentThreads.insert / list: a top-level comment on an uploaded video
    // videos.delete: 204; a video that does not exist (any more) is 404 videoNotFound
    route("DELETE", "/youtube/v3/videos", (call, path) -> {
      String failure = scriptedFailure(call);
      if (!TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      if ("server_error".equals(failure)) return error(503, "backendError", "Backend Error");
      if ("forbidden".equals(failure)) return error(403, "forbidden", "The video that you are trying to delete cannot be deleted.");
      String id = call.query().get("id");
      if (videos.stream().noneMatch(v -> v.path("id").asText().equals(id)) || deleted.contains(id)) {
        return error(404, "videoNotFound", "The video that you are trying to delete cannot be found.");
      }
      deleted.add(id);
      return Answer.empty(204);
    });
    route("POST", "/youtube/v3/commentThreads", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      JsonNode snippet = call.json().path("snippet");
      String videoId = snippet.path("videoId").asText();
      String text = snippet.path("topLevelComment").path("snippet").path("textOriginal").asText();
      String failure = textFailure(text, kind -> kind.startsWith("comment_"));
      if ("comment_refused".equals(failure)) return error(403, "commentsDisabled", "The video identified by the videoId parameter has disabled comments.");
      if (text.isBlank()) return error(400, "commentTextRequired", "The comment resource must contain a value for the textOriginal property.");
      if (videos.stream().noneMatch(v -> v.path("id").asText().equals(videoId))) return error(404, "videoNotFound", "The video could not be found.");
      String id = "Ug" + ids.incrementAndGet();
      Map<String, Object> thread = Map.of("kind", "youtube#commentThread", "id", id, "snippet", Map.of("videoId", videoId,
          "topLevelComment", Map.of("kind", "youtube#comment", "id", id, "snippet", Map.of("videoId", videoId, "textOriginal", text, "textDisplay", text,
              "authorChannelId", Map.of("value", CHANNEL_ID)))));
      if ("comment_cut_copied".equals(failure)) {
        // ours never landed, and a viewer wrote the very same text: only theirs is there
        comments.add(Map.of("kind", "youtube#commentThread", "id", id, "snippet", Map.of("videoId", videoId, "topLevelComment",
            Map.of("kind", "youtube#comment", "id", id, "snippet", Map.of("videoId", videoId, "textOriginal", text, "textDisplay", text,
                "authorChannelId", Map.of("value", "UCviewer"))))));
        return Answer.json(503, Map.of("error", Map.of("code", 503, "message", "lost"))).late(5_000);
      }
      comments.add(thread);
      Answer answer = Answer.json(200, thread);
      return "comment_lost".equals(failure) ? answer.late(5_000) : answer;
    });
    route("GET", "/youtube/v3/commentThreads", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      List<Map<String, Object>> items = new java.util.ArrayList<>();
      for (int i = comments.size() - 1; i >= 0; i--) {
        @SuppressWarnings("unchecked")
        Map<String, Object> snippet = (Map<String, Object>) comments.get(i).get("snippet");
        if (snippet.get("videoId").equals(call.query().get("videoId"))) items.add(comments.get(i));
      }
      return Answer.json(200, Map.of("kind", "youtube#commentThreadListResponse", "items", items));
    });
    // thumbnails.set: the image itself as the body (JPEG or PNG, at most 2 MB), for a video of the channel
    route("POST", "/upload/youtube/v3/thumbnails/set", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      if ("not_verified".equals(scriptedFailure(call))) {
        return error(403, "forbidden", "The authenticated user doesn't have permissions to upload and set custom video thumbnails.");
      }
      String videoId = call.query().get("videoId");
      if (videos.stream().noneMatch(v -> v.path("id").asText().equals(videoId))) return error(404, "videoNotFound", "The video could not be found.");
      byte[] image = call.body();
      if (image.length == 0) return error(400, "mediaBodyRequired", "The request does not include the image content.");
      String type = String.valueOf(call.header("Content-Type"));
      boolean jpeg = image.length > 2 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8;
      boolean png = image.length > 8 && image[0] == (byte) 0x89 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G';
      if (image.length > 2 * 1024 * 1024 || !(jpeg && type.startsWith("image/jpeg") || png && type.startsWith("image/png"))) {
        return error(400, "invalidImage", "The provided image content is invalid.");
      }
      thumbnails.put(videoId, Map.of("type", type, "bytes", image.length));
      return Answer.json(200, Map.of("kind", "youtube#thumbnailSetResponse", "items", List.of(Map.of(
          "default", Map.of("url", "https://i.ytimg.com/vi/" + videoId + "/default.jpg", "width", 120, "height", 90)))));
    });
    // captions.insert: multipart/related, the caption resource (snippet.videoId, language, name) then the file; captions.list by video
    route("POST", "/upload/youtube/v3/captions", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      String failure = scriptedFailure(call);
      if ("caption_refused".equals(failure)) return error(403, "forbidden", "The permissions associated with the request are not sufficient to upload the caption track.");
      String type = String.valueOf(call.header("Content-Type"));
      if (!"multipart".equals(call.query().get("uploadType")) || !type.startsWith("multipart/related; boundary=")) {
        return error(400, "badRequest", "captions.insert takes uploadType=multipart with a multipart/related body");
      }
      List<byte[]> parts = multipart(call.body(), type.substring(type.indexOf("boundary=") + 9));
      if (parts.size() != 2) return error(400, "badRequest", "a caption resource and its file");
      JsonNode snippet;
      try {
        snippet = new com.fasterxml.jackson.databind.ObjectMapper().readTree(parts.get(0)).path("snippet");
      } catch (java.io.IOException e) {
        return error(400, "parseError", "the caption resource is not JSON");
      }
      String videoId = snippet.path("videoId").asText();
      if (videos.stream().noneMatch(v -> v.path("id").asText().equals(videoId))) return error(404, "videoNotFound", "The video could not be found.");
      if (snippet.path("language").asText().isEmpty()) return error(400, "invalidMetadata", "The caption track's language is missing.");
      if (parts.get(1).length == 0) return error(400, "contentRequired", "The request does not contain the caption track contents.");
      String id = "AUieDa" + ids.incrementAndGet();
      Map<String, Object> caption = Map.of("kind", "youtube#caption", "id", id, "snippet", Map.of("videoId", videoId,
          "language", snippet.path("language").asText(), "name", snippet.path("name").asText(""), "trackKind", "standard",
          "isDraft", snippet.path("isDraft").asBoolean(false)), "bytes", parts.get(1).length);
      captions.add(caption);
      Answer answer = Answer.json(200, caption);
      return "caption_lost".equals(failure) ? answer.late(5_000) : answer;
    });
    route("GET", "/youtube/v3/captions", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "authError", "Invalid Credentials");
      String videoId = call.query().get("videoId");
      List<Map<String, Object>> items = new java.util.ArrayList<>(List.of(Map.of("kind", "youtube#caption", "id", "asr-" + videoId,
          "snippet", Map.of("videoId", videoId, "language", "en", "name", "", "trackKind", "asr"))));   // YouTube's own speech track
      for (Map<String, Object> caption : captions) {
        @SuppressWarnings("unchecked")
        Map<String, Object> snippet = (Map<String, Object>) caption.get("snippet");
        if (snippet.get("videoId").equals(videoId)) items.add(Map.of("kind", "youtube#caption", "id", caption.get("id"), "snippet", snippet));
      }
      return Answer.json(200, Map.of("kind", "youtube#captionListResponse", "items", items));
    });
    route("PUT", "/sessions/(s\\d+)", (call, path) -> {
      String session = path.group(1);
      if (!expected.containsKey(session)) return Answer.empty(404);
      if (done.containsKey(session)) return Answer.json(200, video(done.get(session), session));
      String range = call.header("Content-Range");
      byte[] have = received.get(session);
      if (range != null && range.startsWith("bytes */")) {
        return have.length == 0 ? Answer.empty(308) : Answer.empty(308).with("Range", "bytes=0-" + (have.length - 1));
      }
      long from = range == null ? 0 : Long.parseLong(range.substring(6, range.indexOf('-')));
      if (from != have.length) return error(400, "badRequest", "bad Content-Range");
      byte[] chunk = call.body();
      if ("interrupt".equals(scriptedFailure(call))) {
        received.put(session, concat(have, java.util.Arrays.copyOf(chunk, chunk.length / 2)));
        return error(503, "backendError", "Backend Error");
      }
      byte[] all = concat(have, chunk);
      received.put(session, all);
      if (all.length < expected.get(session)) return Answer.empty(308).with("Range", "bytes=0-" + (all.length - 1));
      String id = "vid" + ids.incrementAndGet();
      done.put(session, id);
      var stored = ((com.fasterxml.jackson.databind.node.ObjectNode) resources.get(session).deepCopy()).put("id", id).put("bytes", all.length);
      videos.add(stored);
      return Answer.json(201, video(id, session));
    });
  }

  private Map<String, Object> video(String id, String session) {
    return Map.of("kind", "youtube#video", "id", id, "snippet", resources.get(session).path("snippet"),
        "status", Map.of("uploadStatus", "uploaded", "privacyStatus", resources.get(session).path("status").path("privacyStatus").asText()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The bodies of a multipart body's parts (headers dropped). */
  private static List<byte[]> multipart(byte[] body, String boundary) {
    String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    List<byte[]> parts = new java.util.ArrayList<>();
    String[] pieces = text.split("--" + java.util.regex.Pattern.quote(boundary));
    for (String piece : pieces) {
      if (piece.startsWith("--") || piece.isBlank()) continue;
      int start = piece.indexOf("\r\n\r\n");
      if (start < 0) continue;
      String content = piece.substring(start + 4);
      if (content.endsWith("\r\n")) content = content.substring(0, content.length() - 2);
      parts.add(content.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    return parts;
  }

  private static Answer error(int code, String reason, String message) {
    return Answer.json(code, Map.of("error", Map.of("code", code, "message", message,
        "errors", List.of(Map.of("domain", "youtube.quota", "reason", reason, "message", message)))));
  }

  @Override
  protected void onReset() {
    videos.clear();
    deleted.clear();
    comments.clear();
    thumbnails.clear();
    captions.clear();
  }
}
