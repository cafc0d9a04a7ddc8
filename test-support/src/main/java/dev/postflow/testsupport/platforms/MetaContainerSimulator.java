package dev.postflow.testsupport.platforms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Graph API container protocol of Instagram ({@code /media}, {@code /media_publish}, {@code status_code}) or Threads
 * ({@code /threads}, {@code /threads_publish}, {@code status}) (docs/platforms §1, §3). It really downloads every
 * image_url / video_url (as Meta does), keeps containers IN_PROGRESS for a few polls, refuses to publish one that is not
 * FINISHED (9007/2207027), and answers with the Meta error envelope. Failures for {@link #failNext} on "_publish":
 * "expired_token" (190/463), "rate_limited" (4, X-Business-Use-Case-Usage), "publishing_cap" (9/2207042),
 * "server_error", "lose_answer"; on the create path: "processing_error", "stuck".
 */
public class MetaContainerSimulator extends Simulator {
  public static final String TOKEN = "meta-token";
  public final List<Map<String, String>> published = new CopyOnWriteArrayList<>();
  /** Media ids taken down with DELETE /{id} (Threads only; Instagram's API has no delete), in order; they stay in {@link #published}. */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  public final List<String> downloads = new CopyOnWriteArrayList<>();
  /** Ids of other users' posts, which the account can reply to (Threads). */
  public final java.util.Set<String> othersPosts = ConcurrentHashMap.newKeySet();
  /** Instagram's resumable uploads (rupload), one per container: the container id and the bytes received. */
  public final Map<String, Integer> uploads = new ConcurrentHashMap<>();
  public final AtomicInteger refreshed = new AtomicInteger();
  private final Map<String, Map<String, String>> containers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> pollsLeft = new ConcurrentHashMap<>();
  private static final java.util.Set<String> CREATE_FAILURES = java.util.Set.of("invalid_text", "processing_error", "stuck");
  private final AtomicLong ids = new AtomicLong(17_900_000_000L);
  private final HttpClient fetcher = HttpClient.newHttpClient();
  private final boolean instagram;
  /** The professional account's id (Instagram's user_id) or the Threads user's id, as /me answers it. */
  public final String userId;
  /**
   * Instagram Login / Threads OAuth: no PKCE, the client's id and secret in the form. The code gives a short-lived token
   * (1 h); {@code GET /access_token?grant_type=ig_exchange_token|th_exchange_token} exchanges it for a 60-day one.
   */
  public final OAuthServer oauth;
  public final java.util.Set<String> longLivedTokens = ConcurrentHashMap.newKeySet();
  /** Instagram's comments on published media (null for Threads). */
  public final GraphComments comments;

  public MetaContainerSimulator(boolean instagram) {
    this.instagram = instagram;
    this.userId = instagram ? "17841405793187218" : "25028473012345678";
    // Instagram's answer is {"data":[{access_token, user_id, permissions}]}; Threads' is {access_token, user_id}.
    this.oauth = new OAuthServer(this, instagram ? "instagram" : "threads", new OAuthServer.Dialect("/oauth/authorize", "/oauth/access_token",
        "client_id", false, false, Map.of(), 3600), true, tokens -> {
          Map<String, Object> shortLived = Map.of("access_token", tokens.get("access_token"), "user_id", Long.parseLong(userId));
          return instagram ? Map.of("data", List.of(Map.of("access_token", tokens.get("access_token"), "user_id", userId,
              "permissions", "instagram_business_basic,instagram_business_content_publish"))) : shortLived;
        });
    route("GET", "/access_token", (call, path) -> {
      Map<String, String> q = call.query();
      if (!(instagram ? "ig_exchange_token" : "th_exchange_token").equals(q.get("grant_type")) || !oauth.secretOfClientOf(String.valueOf(q.get("access_token")), q.get("client_secret"))
          || !oauth.issued.contains(String.valueOf(q.get("access_token")))) {
        return error(400, 190, 460, "Error validating access token or client secret");
      }
      String longLived = (instagram ? "IGAA" : "THAA") + "-long-" + java.util.UUID.randomUUID();
      longLivedTokens.add(longLived);
      return Answer.json(200, Map.of("access_token", longLived, "token_type", "bearer", "expires_in", 5_183_944));
    });
    route("GET", "/(v[\\d.]+/)?me", (call, path) -> {
      if (!longLivedTokens.contains(String.valueOf(bearer(call)))) return error(400, 190, 463, "Error validating access token: Session has expired");
      return Answer.json(200, instagram ? Map.of("user_id", userId, "username", "ada.gram", "id", "2707" + userId.substring(4))
          : Map.of("id", userId, "username", "ada.threads"));
    });
    String create = instagram ? "media" : "threads";
    String statusField = instagram ? "status_code" : "status";
    route("POST", "/(\\d+)/" + create, (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(400, 190, 463, "Error validating access token: Session has expired");
      Map<String, String> form = Multipart.fields(call);
      String failure = scriptedFailure(call);
      String url = form.getOrDefault("image_url", form.get("video_url"));
      if (url != null) {
        String type = fetch(url);
        if (type == null) return error(400, 9004, 2207052, "The media could not be fetched from this URI: " + url);
        if (instagram && form.containsKey("image_url") && !type.equals("image/jpeg")) {
          return error(400, 36001, 2207005, "The image format is not supported. Only JPEG is supported.");
        }
      }
      if (instagram && form.containsKey("collaborators")) {
        // [IG1]: a JSON array of at most 3 usernames, not on stories or carousel items.
        try {
          com.fasterxml.jackson.databind.JsonNode names = JSON.readTree(form.get("collaborators"));
          if (!names.isArray() || names.size() > 3 || "STORIES".equals(form.get("media_type")) || form.containsKey("is_carousel_item")) {
            return error(400, 100, 2207050, "Invalid parameter: collaborators");
          }
        } catch (java.io.IOException notJson) {
          return error(400, 100, 2207050, "Invalid parameter: collaborators must be a JSON array");
        }
      }
      if (instagram && form.containsKey("user_tags")) {
        // [IG1]: a JSON array of at most 20 {username, x, y}, x and y from 0 to 1, on image containers (a carousel's
        // images too); a reel's without a position; a story's with one or without; never on a carousel's video
        try {
          com.fasterxml.jackson.databind.JsonNode tags = JSON.readTree(form.get("user_tags"));
          String type = form.getOrDefault("media_type", "IMAGE");
          boolean reel = type.equals("REELS");
          boolean story = type.equals("STORIES");
          boolean valid = tags.isArray() && tags.size() <= 20 && (form.containsKey("image_url") || reel || story);
          for (com.fasterxml.jackson.databind.JsonNode tag : tags) {
            boolean placed = tag.has("x") || tag.has("y");
            double x = tag.path("x").asDouble(-1);
            double y = tag.path("y").asDouble(-1);
            boolean inside = x >= 0 && x <= 1 && y >= 0 && y <= 1;
            valid &= !tag.path("username").asText().isEmpty() && (reel ? !placed : story ? !placed || inside : inside);
          }
          if (!valid) return error(400, 100, 2207050, "Invalid parameter: user_tags");
        } catch (java.io.IOException notJson) {
          return error(400, 100, 2207050, "Invalid parameter: user_tags must be a JSON array");
        }
      }
      if (instagram && (form.containsKey("share_to_feed") || form.containsKey("thumb_offset") || form.containsKey("cover_url"))) {
        // reel parameters: only on a REELS container
        if (!"REELS".equals(form.get("media_type"))) return error(400, 100, 2207050, "Invalid parameter: reel options on a non-reel");
        if (form.containsKey("share_to_feed") && !form.get("share_to_feed").matches("true|false")) return error(400, 100, 0, "Invalid parameter: share_to_feed");
        if (form.containsKey("thumb_offset") && !form.get("thumb_offset").matches("\\d+")) return error(400, 100, 0, "Invalid parameter: thumb_offset");
        if (form.containsKey("cover_url") && !"image/jpeg".equals(fetch(form.get("cover_url")))) {
          return error(400, 9004, 2207052, "The media could not be fetched from this URI: " + form.get("cover_url"));
        }
      }
      if (!instagram && form.containsKey("poll_attachment")) {
        // Threads polls: text-only posts, options a to d in order, at least two, each 1 to 25 characters
        try {
          com.fasterxml.jackson.databind.JsonNode poll = JSON.readTree(form.get("poll_attachment"));
          int count = 0;
          for (String key : List.of("option_a", "option_b", "option_c", "option_d")) {
            if (!poll.has(key)) break;
            int length = poll.get(key).asText().codePointCount(0, poll.get(key).asText().length());
            if (length < 1 || length > 25) return error(400, 100, 0, "Invalid parameter: poll_attachment." + key);
            count++;
          }
          if (count < 2 || poll.size() != count || !"TEXT".equals(form.get("media_type"))) {
            return error(400, 100, 0, "Invalid parameter: poll_attachment");
          }
        } catch (java.io.IOException notJson) {
          return error(400, 100, 0, "Invalid parameter: poll_attachment must be a JSON object");
        }
      }
      String text = form.getOrDefault(instagram ? "caption" : "text", "");
      if (failure == null) failure = textFailure(text, CREATE_FAILURES::contains);
      if ("invalid_text".equals(failure)) return error(400, 100, 0, "Invalid parameter: text");
      String replyTo = form.get("reply_to_id");
      if (replyTo != null && (instagram || published.stream().noneMatch(media -> media.get("id").equals(replyTo)) && !othersPosts.contains(replyTo))) {
        return error(400, 100, 0, "Invalid parameter: reply_to_id does not name a published post");
      }
      boolean resumable = "resumable".equals(form.get("upload_type"));
      if (resumable && (!instagram || url != null || !List.of("REELS", "VIDEO", "STORIES").contains(form.getOrDefault("media_type", "")))) {
        return error(400, 100, 0, "Invalid parameter: upload_type=resumable takes a REELS, VIDEO or STORIES container without video_url");
      }
      String id = String.valueOf(ids.incrementAndGet());
      if (resumable) {
        // [IG1][IG2]: the bytes are sent next to rupload; the container waits for them
        form.put("status", "AWAITING_UPLOAD");
        containers.put(id, form);
        pollsLeft.put(id, new AtomicInteger(3));
        return Answer.json(200, Map.of("id", id, "uri", baseUrl() + "/ig-api-upload/v24.0/" + id));
      }
      form.put("status", "stuck".equals(failure) ? "STUCK" : "processing_error".equals(failure) ? "WILL_FAIL" : "IN_PROGRESS");
      containers.put(id, form);
      pollsLeft.put(id, new AtomicInteger(form.containsKey("video_url") ? 3 : 1));
      return Answer.json(200, Map.of("id", id));
    });
    if (instagram) {
      // Resumable upload [IG1][IG2]: the whole file at offset 0, Authorization: OAuth <token>; an MP4 or MOV is taken.
      route("POST", "/ig-api-upload/v[\\d.]+/(\\d+)", (call, path) -> {
        Map<String, String> container = containers.get(path.group(1));
        if (!("OAuth " + TOKEN).equals(call.header("Authorization"))) {
          return Answer.json(401, Map.of("debug_info", Map.of("retriable", false, "type", "OAuthException", "message", "Invalid OAuth access token")));
        }
        if (container == null || !"AWAITING_UPLOAD".equals(container.get("status"))) {
          return Answer.json(400, Map.of("debug_info", Map.of("retriable", false, "type", "ProcessingFailedError", "message", "Unknown or already uploaded container")));
        }
        if ("server_error".equals(scriptedFailure(call))) {
          return Answer.json(500, Map.of("debug_info", Map.of("retriable", true, "type", "ProcessingFailedError", "message", "Request processing failed")));
        }
        byte[] body = call.body() == null ? new byte[0] : call.body();
        if (!"0".equals(call.header("offset")) || !String.valueOf(body.length).equals(call.header("file_size"))) {
          return Answer.json(400, Map.of("debug_info", Map.of("retriable", false, "type", "ProcessingFailedError",
              "message", "offset must be 0 and file_size the length of the body")));
        }
        boolean video = body.length >= 8 && new String(body, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp");
        uploads.put(path.group(1), body.length);
        container.put("status", video ? "IN_PROGRESS" : "WILL_FAIL");
        return Answer.json(200, Map.of("success", true, "message", "Upload successful."));
      });
    }
    route("GET", "/refresh_access_token", (call, path) -> {
      String grant = call.query().get("grant_type");
      if (!(instagram ? "ig_refresh_token" : "th_refresh_token").equals(grant) || call.query().get("access_token") == null
          || call.query().get("access_token").startsWith("expired")) {
        return error(400, 190, 463, "Error validating access token: Session has expired");
      }
      refreshed.incrementAndGet();
      return Answer.json(200, Map.of("access_token", "refreshed-" + call.query().get("access_token"), "token_type", "bearer",
          "expires_in", 5_184_000));
    });
    comments = instagram ? new GraphComments(this, "\\d+", id -> published.stream().filter(media -> media.get("id").equals(id))
        .map(media -> media.get("owner")).findFirst().orElse(null), "text", TOKEN) : null;
    if (instagram) {
      // the account's own media, newest first (GET /{ig-user-id}/media)
      route("GET", "/(\\d+)/media", (call, path) -> {
        if (!TOKEN.equals(bearer(call))) return error(400, 190, 463, "Error validating access token: Session has expired");
        List<Map<String, Object>> data = new java.util.ArrayList<>();
        for (int i = published.size() - 1; i >= 0; i--) {
          Map<String, String> media = published.get(i);
          data.add(Map.of("id", media.get("id"), "caption", media.get("text"), "timestamp", media.get("timestamp")));
        }
        return Answer.json(200, Map.of("data", data));
      });
    } else {
      // the account's own posts and replies, newest first (Threads' GET /{user}/threads and /{user}/replies)
      route("GET", "/(\\d+)/(threads|replies)", (call, path) -> {
        if (!TOKEN.equals(bearer(call))) return error(400, 190, 463, "Error validating access token: Session has expired");
        boolean replies = path.group(2).equals("replies");
        List<Map<String, Object>> data = new java.util.ArrayList<>();
        for (int i = published.size() - 1; i >= 0; i--) {
          Map<String, String> media = published.get(i);
          if (replies == media.get("reply_to").isEmpty()) continue;
          Map<String, Object> item = new java.util.LinkedHashMap<>(Map.of("id", media.get("id"), "text", media.get("text"),
              "timestamp", media.get("timestamp")));
          if (replies) item.put("replied_to", Map.of("id", media.get("reply_to")));
          data.add(item);
        }
        return Answer.json(200, Map.of("data", data));
      });
    }
    route("GET", "/(\\d+)", (call, path) -> {
      String id = path.group(1);
      Map<String, String> container = containers.get(id);
      if (container == null) {
        for (Map<String, String> media : published) {
          if (media.get("id").equals(id)) return Answer.json(200, Map.of("id", id, "permalink", media.get("permalink")));
        }
        return error(400, 100, 33, "Unsupported get request. Object with ID '" + id + "' does not exist");
      }
      return Answer.json(200, Map.of("id", id, statusField, status(id, container),
          "error_message", "WILL_FAIL".equals(container.get("status")) ? "FAILED_PROCESSING_VIDEO" : ""));
    });
    route("POST", "/(\\d+)/" + create + "_publish", (call, path) -> {
      String failure = scriptedFailure(call);
      Map<String, String> toPublish = containers.get(Multipart.fields(call).get("creation_id"));
      if (failure == null && toPublish != null) {
        failure = textFailure(toPublish.get(instagram ? "caption" : "text"), kind -> !CREATE_FAILURES.contains(kind) && !kind.startsWith("comment_"));
      }
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) {
        return error(400, 190, 463, "Error validating access token: Session has expired");
      }
      if ("rate_limited".equals(failure)) {
        return error(400, 4, 0, "Application request limit reached")
            .with("X-Business-Use-Case-Usage", "{\"1\":[{\"type\":\"instagram\",\"call_count\":100,\"estimated_time_to_regain_access\":0}]}");
      }
      if ("publishing_cap".equals(failure)) return error(400, 9, 2207042, "The maximum number of posts that can be published has been reached.");
      if ("server_error".equals(failure)) return error(500, 2, 0, "An unexpected error has occurred. Please retry your request later.");
      String containerId = Multipart.fields(call).get("creation_id");
      Map<String, String> container = containers.get(containerId);
      if (container == null) return error(400, 100, 0, "Invalid parameter: creation_id");
      String status = status(containerId, container);
      if (status.equals("PUBLISHED")) return error(400, 100, 2207001, "This container has already been published");
      if (!status.equals("FINISHED")) return error(400, 9007, 2207027, "Media ID is not available: the media is not ready for publishing");
      container.put("status", "PUBLISHED");
      String mediaId = String.valueOf(ids.incrementAndGet());
      published.add(Map.of("id", mediaId, "container", containerId, "permalink", "https://www.example-meta.test/p/" + mediaId,
          "text", container.getOrDefault(instagram ? "caption" : "text", ""), "reply_to", container.getOrDefault("reply_to_id", ""),
          "timestamp", java.time.Instant.now().toString(), "owner", path.group(1)));
      Answer answer = Answer.json(200, Map.of("id", mediaId));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("DELETE", "/(\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(400, 190, 463, "Error validating access token: Session has expired");
      String id = path.group(1);
      if (instagram) return error(400, 100, 0, "Unsupported delete request.");
      if ("server_error".equals(scriptedFailure(call))) return error(500, 2, 0, "An unexpected error has occurred. Please retry your request later.");
      if (published.stream().noneMatch(media -> media.get("id").equals(id)) || deleted.contains(id)) {
        return error(400, 100, 33, "Unsupported delete request. Object with ID '" + id + "' does not exist");
      }
      deleted.add(id);
      return Answer.json(200, Map.of("success", true, "deleted_id", id));
    });
  }

  public Map<String, String> container(String id) {
    return containers.get(id);
  }

  private String status(String id, Map<String, String> container) {
    return switch (container.get("status")) {
      case "PUBLISHED" -> "PUBLISHED";
      case "STUCK", "AWAITING_UPLOAD" -> "IN_PROGRESS";
      case "WILL_FAIL" -> "ERROR";
      default -> pollsLeft.get(id).getAndDecrement() > 0 ? "IN_PROGRESS" : "FINISHED";
    };
  }

  /** Downloads like Meta's fetcher; the Content-Type, or null when it could not. */
  private String fetch(String url) {
    try {
      HttpResponse<byte[]> response = fetcher.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
      downloads.add(url);
      return response.statusCode() == 200 ? response.headers().firstValue("Content-Type").orElse("") : null;
    } catch (Exception e) {
      return null;
    }
  }

  public static Answer error(int status, int code, int subcode, String message) {
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("message", message);
    error.put("type", "OAuthException");
    error.put("code", code);
    if (subcode != 0) error.put("error_subcode", subcode);
    error.put("fbtrace_id", "A" + System.nanoTime());
    return Answer.json(status, Map.of("error", error));
  }

  @Override
  protected void onReset() {
    published.clear();
    deleted.clear();
    uploads.clear();
    othersPosts.clear();
    containers.clear();
    if (comments != null) comments.clear();
  }
}
