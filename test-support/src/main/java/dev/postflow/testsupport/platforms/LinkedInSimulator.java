package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LinkedIn's Posts API (docs/platforms §5): requires {@code LinkedIn-Version} and {@code X-Restli-Protocol-Version};
 * images, videos and documents registered and uploaded by PUT (videos in parts with ETags, then finalized; videos and
 * documents AVAILABLE after a few polls, documents PROCESSING_FAILED with {@link #failDocuments}; a document post needs
 * its title and an AVAILABLE document); {@code POST /rest/posts} answers 201 with an empty body and the URN in {@code x-restli-id}; an unescaped
 * reserved character truncates the commentary silently, as LinkedIn does; the same commentary again is 422
 * DUPLICATE_POST naming the first URN. Failures for {@link #failNext} on "/rest/posts": "expired_token" (65600),
 * "revoked_token" (65601), "rate_limited", "server_error", "lose_answer". Comments ({@code /rest/socialActions/{post}/comments})
 * take {@link #failOnText} "comment_refused" (403), "comment_lost" (stored, answered 5 s late) and "comment_unanswered"
 * (stored, answered a minute late: longer than any lookup waits).
 */
public class LinkedInSimulator extends Simulator {
  public static final String TOKEN = "linkedin-token";
  public static final String MEMBER_ID = "yrZCpj2Z12";
  /** OAuth 2.0 without PKCE (web apps); the client's id and secret go in the token request's form. Tokens last 60 days. */
  public final OAuthServer oauth = new OAuthServer(this, "linkedin", new OAuthServer.Dialect("/oauth/v2/authorization", "/oauth/v2/accessToken",
      "client_id", false, false, Map.of(), 5_184_000), true, tokens -> tokens);
  public final List<JsonNode> posts = new CopyOnWriteArrayList<>();
  /** URNs of posts taken down with DELETE /rest/posts/{urn}, in order (they stay in {@link #posts}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  /** URNs of posts whose commentary was changed with a PARTIAL_UPDATE, in order. */
  public final List<String> edited = new CopyOnWriteArrayList<>();
  /** Documents whose bytes are neither a PDF nor an Office Open XML file: their processing fails. */
  private final java.util.Set<String> unrenderable = ConcurrentHashMap.newKeySet();
  public final Map<String, Integer> uploadedBytes = new ConcurrentHashMap<>();
  /** Whether the token may read comments (r_member_social / r_organization_social); without it, GET answers 403. */
  public volatile boolean canReadComments = true;
  /** Comments on posts: id, urn, object (the post), actor, text. */
  public final List<Map<String, String>> comments = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> videoPolls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> documentPolls = new ConcurrentHashMap<>();
  private final java.util.Set<String> availableDocuments = ConcurrentHashMap.newKeySet();
  /** Documents end PROCESSING_FAILED (LinkedIn could not make pages of them: a damaged file, too many pages). */
  public volatile boolean failDocuments;
  private final AtomicLong ids = new AtomicLong(7_141_000_000_000_000_000L);

  public LinkedInSimulator() {
    route("GET", "/v2/userinfo", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("sub", MEMBER_ID, "name", "Ada Lovelace", "given_name", "Ada", "family_name", "Lovelace"))
        : Answer.json(401, Map.of("status", 401, "serviceErrorCode", 65600, "code", "INVALID_ACCESS_TOKEN", "message", "Invalid access token")));
    route("POST", "/rest/images", (call, path) -> {
      Answer denied = check(call);
      if (denied != null) return denied;
      String urn = "urn:li:image:C" + ids.incrementAndGet();
      return Answer.json(200, Map.of("value", Map.of("uploadUrl", baseUrl() + "/upload/" + urn, "image", urn)));
    });
    route("PUT", "/upload/(.+)", (call, path) -> {
      uploadedBytes.merge(path.group(1), call.body().length, Integer::sum);
      // a document LinkedIn can render: a PDF, or an Office Open XML file (a ZIP archive)
      String head = new String(call.body(), 0, Math.min(5, call.body().length), StandardCharsets.ISO_8859_1);
      if (path.group(1).startsWith("urn:li:document:") && !head.startsWith("%PDF-") && !head.startsWith("PK\u0003\u0004")) unrenderable.add(path.group(1));
      return Answer.empty(201).with("ETag", "etag-" + call.body().length);
    });
    route("POST", "/rest/videos", (call, path) -> {
      Answer denied = check(call);
      if (denied != null) return denied;
      if ("finalizeUpload".equals(call.query().get("action"))) {
        String urn = call.json().path("finalizeUploadRequest").path("video").asText();
        videoPolls.put(urn, new AtomicInteger(2));
        return Answer.empty(200);
      }
      long size = call.json().path("initializeUploadRequest").path("fileSizeBytes").asLong();
      String urn = "urn:li:video:C" + ids.incrementAndGet();
      long half = size / 2;
      return Answer.json(200, Map.of("value", Map.of("video", urn, "uploadToken", "",
          "uploadInstructions", List.of(
              Map.of("uploadUrl", baseUrl() + "/upload/" + urn + "/1", "firstByte", 0, "lastByte", half - 1),
              Map.of("uploadUrl", baseUrl() + "/upload/" + urn + "/2", "firstByte", half, "lastByte", size - 1)))));
    });
    route("GET", "/rest/videos/(.+)", (call, path) -> {
      String urn = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      AtomicInteger left = videoPolls.get(urn);
      String status = left != null && left.getAndDecrement() > 0 ? "PROCESSING" : "AVAILABLE";
      return Answer.json(200, Map.of("id", urn, "status", status));
    });
    // Documents API: registered, PUT to the upload URL, PROCESSING for a few polls, then AVAILABLE (or PROCESSING_FAILED)
    route("POST", "/rest/documents", (call, path) -> {
      Answer denied = check(call);
      if (denied != null) return denied;
      String urn = "urn:li:document:D" + ids.incrementAndGet();
      documentPolls.put(urn, new AtomicInteger(2));
      return Answer.json(200, Map.of("value", Map.of("uploadUrl", baseUrl() + "/upload/" + urn, "uploadUrlExpiresAt", 1_900_000_000_000L,
          "document", urn)));
    });
    route("GET", "/rest/documents/(.+)", (call, path) -> {
      String urn = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      AtomicInteger left = documentPolls.get(urn);
      if (left == null) return Answer.json(404, Map.of("status", 404, "message", "Not Found: " + urn));
      String status = !uploadedBytes.containsKey(urn) ? "WAITING_UPLOAD" : left.getAndDecrement() > 0 ? "PROCESSING"
          : failDocuments || unrenderable.contains(urn) ? "PROCESSING_FAILED" : "AVAILABLE";
      if ("AVAILABLE".equals(status)) availableDocuments.add(urn);
      return Answer.json(200, Map.of("id", urn, "owner", "urn:li:person:" + MEMBER_ID, "status", status));
    });
    route("POST", "/rest/posts", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure)) return Answer.json(401, Map.of("status", 401, "serviceErrorCode", 65600, "code", "EXPIRED_ACCESS_TOKEN", "message", "Invalid access token"));
      if ("revoked_token".equals(failure)) return Answer.json(401, Map.of("status", 401, "serviceErrorCode", 65601, "code", "REVOKED_ACCESS_TOKEN", "message", "The token used in the request has been revoked by the user"));
      Answer denied = check(call);
      if (denied != null) return denied;
      if ("rate_limited".equals(failure)) return Answer.json(429, Map.of("status", 429, "message", "Resource level throttle limit for calls to this resource is reached."));
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("status", 503, "message", "Unable to obtain activity"));
      JsonNode body = call.json();
      String mediaId = body.path("content").path("media").path("id").asText("");
      if (mediaId.startsWith("urn:li:document:")) {
        if (body.path("content").path("media").path("title").asText("").isBlank()) {
          return Answer.json(400, Map.of("status", 400, "code", "FIELD_REQUIRED", "message", "ERROR :: /content/media/title :: field is required for a document"));
        }
        if (!availableDocuments.contains(mediaId)) {
          return Answer.json(400, Map.of("status", 400, "message", "ERROR :: /content/media/id :: document " + mediaId + " is not AVAILABLE"));
        }
      }
      JsonNode article = body.path("content").path("article");
      if (!article.isMissingNode()) {
        if (!article.path("source").asText("").startsWith("https://") || article.path("title").asText("").isBlank()) {
          return Answer.json(400, Map.of("status", 400, "code", "FIELD_REQUIRED", "message", "ERROR :: /content/article :: source and title are required"));
        }
        String thumbnail = article.path("thumbnail").asText("");
        if (!thumbnail.isEmpty() && !uploadedBytes.containsKey(thumbnail)) {
          return Answer.json(400, Map.of("status", 400, "message", "ERROR :: /content/article/thumbnail :: image " + thumbnail + " was not uploaded"));
        }
      }
      String commentary = visible(body.path("commentary").asText());
      for (JsonNode post : posts) {
        if (post.path("commentary").asText().equals(body.path("commentary").asText())) {
          return Answer.json(422, Map.of("errorDetailType", "com.linkedin.common.error.BadRequest",
              "message", "ERROR :: /commentary :: Content is a duplicate of " + post.path("id").asText(),
              "errorDetails", Map.of("inputErrors", List.of(Map.of("description", "Duplicate post is detected", "code", "DUPLICATE_POST"))),
              "status", 422));
        }
      }
      String urn = "urn:li:share:" + ids.incrementAndGet();
      var stored = ((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy()).put("id", urn).put("visible_text", commentary);
      posts.add(stored);
      Answer answer = Answer.empty(201).with("x-restli-id", urn);
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    // Comments API: POST a comment on a post (201, its URN in x-restli-id), GET the post's comments
    route("POST", "/rest/socialActions/([^/]+)/comments", (call, path) -> {
      Answer denied = check(call);
      if (denied != null) return denied;
      String object = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      JsonNode body = call.json();
      String text = body.path("message").path("text").asText();
      String failure = textFailure(text, kind -> kind.startsWith("comment_"));
      if ("comment_refused".equals(failure)) {
        return Answer.json(403, Map.of("status", 403, "code", "ACCESS_DENIED", "message", "Not enough permissions to comment on this post"));
      }
      if (text.isBlank() || !object.equals(body.path("object").asText())) {
        return Answer.json(400, Map.of("status", 400, "message", "ERROR :: /message/text :: field is required, and object must be the post"));
      }
      if (posts.stream().noneMatch(p -> p.path("id").asText().equals(object))) {
        return Answer.json(404, Map.of("status", 404, "message", "Not Found: " + object));
      }
      long id = ids.incrementAndGet();
      String urn = "urn:li:comment:(" + object + "," + id + ")";
      comments.add(Map.of("id", String.valueOf(id), "urn", urn, "object", object, "actor", body.path("actor").asText(), "text", text));
      Answer answer = Answer.empty(201).with("x-restli-id", urn);
      return "comment_lost".equals(failure) ? answer.late(5_000) : "comment_unanswered".equals(failure) ? answer.late(60_000) : answer;
    });
    route("GET", "/rest/socialActions/([^/]+)/comments", (call, path) -> {
      Answer denied = check(call);
      if (denied != null) return denied;
      if (!canReadComments) {
        return Answer.json(403, Map.of("status", 403, "serviceErrorCode", 100, "code", "ACCESS_DENIED",
            "message", "Not enough permissions to access: partnerApiSocialActions.GET.20260101"));
      }
      String object = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      List<Map<String, Object>> elements = new java.util.ArrayList<>();
      for (int i = comments.size() - 1; i >= 0; i--) {
        Map<String, String> c = comments.get(i);
        if (c.get("object").equals(object)) {
          elements.add(Map.of("id", c.get("id"), "commentUrn", c.get("urn"), "actor", c.get("actor"), "object", object,
              "message", Map.of("text", c.get("text"))));
        }
      }
      return Answer.json(200, Map.of("elements", elements, "paging", Map.of("start", 0, "count", 10, "total", elements.size())));
    });
    route("GET", "/rest/posts", (call, path) -> {
      Answer denied = check(call);
      if (denied != null) return denied;
      return Answer.json(200, Map.of("elements", posts.stream().map(p -> Map.of("id", p.path("id").asText(),
          "commentary", p.path("commentary").asText())).toList()));
    });
    // POST /rest/posts/{encoded URN} with X-RestLi-Method: PARTIAL_UPDATE, {"patch": {"$set": {"commentary": …}}}: 204
    route("POST", "/rest/posts/(.+)", (call, path) -> {
      String failure = scriptedFailure(call);
      Answer denied = check(call);
      if (denied != null) return denied;
      if (!"PARTIAL_UPDATE".equals(call.header("X-RestLi-Method"))) {
        return Answer.json(400, Map.of("status", 400, "message", "Unsupported method: POST on a post without X-RestLi-Method"));
      }
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("status", 503, "message", "Unable to update"));
      String urn = path.group(1);
      JsonNode post = posts.stream().filter(p -> p.path("id").asText().equals(urn)).findFirst().orElse(null);
      if (post == null || deleted.contains(urn)) return Answer.json(404, Map.of("status", 404, "message", "Post " + urn + " does not exist"));
      JsonNode set = call.json().path("patch").path("$set");
      if (!set.has("commentary") || set.size() != 1) {
        return Answer.json(422, Map.of("status", 422, "message", "Only commentary can be updated", "code", "UNPROCESSABLE_ENTITY"));
      }
      ((com.fasterxml.jackson.databind.node.ObjectNode) post).put("commentary", set.path("commentary").asText());
      edited.add(urn);
      return Answer.empty(204);
    });
    // DELETE /rest/posts/{encoded URN}: 204; a post that does not exist (any more) is 404
    route("DELETE", "/rest/posts/(.+)", (call, path) -> {
      String failure = scriptedFailure(call);
      Answer denied = check(call);
      if (denied != null) return denied;
      if ("server_error".equals(failure)) return Answer.json(503, Map.of("status", 503, "message", "Unable to delete"));
      if ("forbidden".equals(failure)) return Answer.json(403, Map.of("status", 403, "serviceErrorCode", 100, "code", "ACCESS_DENIED",
          "message", "Not enough permissions to access: partnerApiPostsExternal.DELETE.20240101"));
      String urn = path.group(1);
      if (posts.stream().noneMatch(p -> p.path("id").asText().equals(urn)) || deleted.contains(urn)) {
        return Answer.json(404, Map.of("status", 404, "message", "Post " + urn + " does not exist"));
      }
      deleted.add(urn);
      return Answer.empty(204);
    });
  }

  /** What LinkedIn shows: the commentary up to the first unescaped reserved character, escapes removed. */
  static String visible(String little) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < little.length(); i++) {
      char c = little.charAt(i);
      if (c == '\\' && i + 1 < little.length()) {
        out.append(little.charAt(++i));
      } else if ("|{}@[]()<>#*_~".indexOf(c) >= 0) {
        break; // silently truncated
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Answer check(Call call) {
    if (!TOKEN.equals(bearer(call))) {
      return Answer.json(401, Map.of("status", 401, "serviceErrorCode", 65600, "code", "INVALID_ACCESS_TOKEN", "message", "Invalid access token"));
    }
    if (call.header("LinkedIn-Version") == null || !"2.0.0".equals(call.header("X-Restli-Protocol-Version"))) {
      return Answer.json(400, Map.of("status", 400, "message", "A version must be present. Please specify a version by adding the LinkedIn-Version header."));
    }
    return null;
  }

  @Override
  protected void onReset() {
    posts.clear();
    deleted.clear();
    edited.clear();
    comments.clear();
    canReadComments = true;
    failDocuments = false;
  }
}
