package dev.postflow.testsupport.platforms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Pages API (docs/platforms §2): {@code /{page}/feed} (message, link, attached_media), {@code /{page}/photos}
 * (url, published=false to stage), {@code /{page}/videos} (file_url), {@code GET /{page}/feed}; a post identical to the
 * latest one is refused with 506 "Duplicate status message". Media URLs are really fetched. Failures for
 * {@link #failNext} on the page path: "expired_token", "rate_limited" (32), "server_error" (2), "lose_answer".
 */
public class FacebookSimulator extends Simulator {
  public static final String TOKEN = "page-token";
  /**
   * Facebook Login: no PKCE, the client's id and secret as parameters; the code gives a short-lived user token (no
   * refresh token), {@code GET /oauth/access_token?grant_type=fb_exchange_token} a 60-day one, and with that
   * {@code /me/accounts} lists the Pages the user granted, each with its Page token.
   */
  public final OAuthServer oauth = new OAuthServer(this, "facebook", new OAuthServer.Dialect("/v23.0/dialog/oauth", "/v23.0/oauth/access_token",
      "client_id", false, false, Map.of(), 5400), true, tokens -> Map.of("access_token", tokens.get("access_token"), "token_type", "bearer",
          "expires_in", tokens.get("expires_in")));
  /** The Pages the next user grants: id and name (each gets the Page token this simulator publishes with). */
  public volatile List<Map<String, String>> grantedPages = List.of(Map.of("id", "104838001234567", "name", "Ada's Bakery"),
      Map.of("id", "104838007654321", "name", "Ada's Books"));
  private final java.util.Set<String> longLived = java.util.concurrent.ConcurrentHashMap.newKeySet();
  public final List<Map<String, String>> posts = new CopyOnWriteArrayList<>();
  /** Post ids taken down with DELETE /{post-id}, in order (they stay in {@link #posts}). */
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  /** Post ids whose message was changed with POST /{post-id}, in order. */
  public final List<String> edited = new CopyOnWriteArrayList<>();
  /** Comments on the Page's posts. */
  public final GraphComments comments;
  private final Map<String, Map<String, String>> reels = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(500_000_000L);
  private final HttpClient fetcher = HttpClient.newHttpClient();

  public FacebookSimulator() {
    route("GET", "/v23.0/oauth/access_token", (call, path) -> {
      Map<String, String> q = call.query();
      String shortLived = String.valueOf(q.get("fb_exchange_token"));
      if (!"fb_exchange_token".equals(q.get("grant_type")) || !oauth.authenticates(q.get("client_id"), q.get("client_secret"))
          || !oauth.clientOf(shortLived).equals(q.get("client_id")) || !oauth.issued.contains(shortLived)) {
        return MetaContainerSimulator.error(400, 190, 0, "Error validating access token or application secret");
      }
      String token = "EAAB-long-" + java.util.UUID.randomUUID();
      longLived.add(token);
      return Answer.json(200, Map.of("access_token", token, "token_type", "bearer", "expires_in", 5_183_944));
    });
    route("GET", "/v23.0/me/accounts", (call, path) -> {
      if (!longLived.contains(String.valueOf(bearer(call)))) return MetaContainerSimulator.error(400, 190, 463, "Error validating access token: Session has expired");
      return Answer.json(200, Map.of("data", grantedPages.stream().map(p -> Map.of("id", p.get("id"), "name", p.get("name"), "access_token", TOKEN,
          "category", "Bakery", "tasks", List.of("CREATE_CONTENT", "MANAGE"))).toList(), "paging", Map.of()));
    });
    comments = new GraphComments(this, "[\\d_]+", id -> posts.stream().anyMatch(post -> post.get("id").equals(id)) ? id.substring(0, id.indexOf('_')) : null,
        "message", TOKEN);
    route("POST", "/(\\d+)/(feed|photos|videos)", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) {
        return MetaContainerSimulator.error(400, 190, 460, "Error validating access token: The session has been invalidated");
      }
      if ("rate_limited".equals(failure)) return MetaContainerSimulator.error(400, 32, 0, "Page request limit reached");
      if ("server_error".equals(failure)) return MetaContainerSimulator.error(500, 2, 0, "Service temporarily unavailable");
      String page = path.group(1);
      Map<String, String> form = Multipart.fields(call);
      String url = form.getOrDefault("url", form.get("file_url"));
      if (url != null && !fetchable(url)) return MetaContainerSimulator.error(400, 324, 2069019, "Missing or invalid image file");
      String id = String.valueOf(ids.incrementAndGet());
      if (path.group(2).equals("photos") && "false".equals(form.get("published"))) {
        return Answer.json(200, Map.of("id", id));
      }
      String message = form.getOrDefault("message", form.getOrDefault("caption", form.getOrDefault("description", "")));
      if (!posts.isEmpty() && !message.isEmpty() && posts.get(posts.size() - 1).get("message").equals(message)) {
        return MetaContainerSimulator.error(400, 506, 1455006, "Duplicate status message");
      }
      String postId = page + "_" + id;
      posts.add(Map.of("id", postId, "message", message, "kind", path.group(2), "created_time", String.valueOf(Instant.now().getEpochSecond()),
          "attached_media", form.getOrDefault("attached_media", "")));
      Answer answer = Answer.json(200, path.group(2).equals("feed") ? Map.of("id", postId) : Map.of("id", id, "post_id", postId));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    // Reels Publishing API: start → upload (rupload, file_url) → finish → status polled until the publishing phase completes.
    route("POST", "/(\\d+)/video_reels", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return MetaContainerSimulator.error(400, 190, 460, "Error validating access token");
      Map<String, String> form = Multipart.fields(call);
      if ("start".equals(form.get("upload_phase"))) {
        String videoId = String.valueOf(ids.incrementAndGet());
        reels.put(videoId, new java.util.concurrent.ConcurrentHashMap<>(Map.of("page", path.group(1), "state", "started")));
        return Answer.json(200, Map.of("video_id", videoId, "upload_url", baseUrl() + "/video-upload/" + videoId));
      }
      Map<String, String> reel = reels.get(form.getOrDefault("video_id", ""));
      if (reel == null || !"uploaded".equals(reel.get("state"))) return MetaContainerSimulator.error(400, 100, 0, "Invalid video_id or not uploaded");
      reel.put("state", "finished");
      reel.put("polls", "2");
      posts.add(Map.of("id", form.get("video_id"), "message", form.getOrDefault("description", ""), "kind", "reel",
          "created_time", String.valueOf(Instant.now().getEpochSecond()), "attached_media", ""));
      return Answer.json(200, Map.of("success", true));
    });
    route("POST", "/video-upload/(\\d+)", (call, path) -> {
      Map<String, String> reel = reels.get(path.group(1));
      if (reel == null) return MetaContainerSimulator.error(400, 100, 0, "Unknown video");
      if (!("OAuth " + TOKEN).equals(call.header("Authorization"))) return MetaContainerSimulator.error(400, 190, 460, "Error validating access token");
      if ("server_error".equals(scriptedFailure(call))) {
        return Answer.json(500, Map.of("debug_info", Map.of("retriable", true, "type", "ProcessingFailedError", "message", "Request processing failed")));
      }
      String fileUrl = call.header("file_url");
      if (fileUrl == null) {
        // the bytes themselves: the whole file at offset 0
        byte[] body = call.body() == null ? new byte[0] : call.body();
        if (!"0".equals(call.header("offset")) || body.length == 0 || !String.valueOf(body.length).equals(call.header("file_size"))) {
          return Answer.json(400, Map.of("debug_info", Map.of("type", "ProcessingFailedError", "message", "give file_url, or the bytes with offset 0 and file_size")));
        }
        reel.put("bytes", String.valueOf(body.length));
      } else if (!fetchable(fileUrl)) {
        return Answer.json(400, Map.of("debug_info", Map.of("type", "ProcessingFailedError", "message", "file_url could not be fetched")));
      }
      reel.put("state", "uploaded");
      return Answer.json(200, Map.of("success", true));
    });
    route("GET", "/(\\d+)", (call, path) -> {
      Map<String, String> reel = reels.get(path.group(1));
      if (reel == null) return MetaContainerSimulator.error(400, 100, 33, "Object does not exist");
      int polls = Integer.parseInt(reel.getOrDefault("polls", "0"));
      boolean complete = "finished".equals(reel.get("state")) && polls <= 0;
      if ("finished".equals(reel.get("state"))) reel.put("polls", String.valueOf(polls - 1));
      return Answer.json(200, Map.of("id", path.group(1), "status", Map.of("video_status", complete ? "ready" : "processing",
          "publishing_phase", Map.of("status", complete ? "complete" : "in_progress"))));
    });
    route("GET", "/(\\d+)/feed", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return MetaContainerSimulator.error(400, 190, 460, "Error validating access token");
      long since = Long.parseLong(call.query().getOrDefault("since", "0"));
      List<Map<String, String>> data = posts.stream().filter(p -> Long.parseLong(p.get("created_time")) >= since)
          .map(p -> Map.of("id", p.get("id"), "message", p.get("message"), "permalink_url", "https://www.facebook.com/" + p.get("id")))
          .toList();
      return Answer.json(200, Map.of("data", data));
    });
    // Updating a Page post: POST /{page-id}_{post-id} with message; {"success": true}
    route("POST", "/(\\d+_\\d+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return MetaContainerSimulator.error(400, 190, 460, "Error validating access token");
      if ("server_error".equals(scriptedFailure(call))) return MetaContainerSimulator.error(500, 2, 0, "Service temporarily unavailable");
      String id = path.group(1);
      Map<String, String> post = posts.stream().filter(p -> p.get("id").equals(id)).findFirst().orElse(null);
      if (post == null || deleted.contains(id)) return MetaContainerSimulator.error(400, 100, 33, "Object with ID '" + id + "' does not exist");
      String message = Multipart.fields(call).get("message");
      if (message == null) return MetaContainerSimulator.error(400, 100, 0, "(#100) Param message must be non-empty");
      Map<String, String> changed = new java.util.HashMap<>(post);
      changed.put("message", message);
      posts.set(posts.indexOf(post), Map.copyOf(changed));
      edited.add(id);
      return Answer.json(200, Map.of("success", true));
    });
    route("DELETE", "/([\\d_]+)", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return MetaContainerSimulator.error(400, 190, 460, "Error validating access token");
      if ("server_error".equals(scriptedFailure(call))) return MetaContainerSimulator.error(500, 2, 0, "Service temporarily unavailable");
      String id = path.group(1);
      boolean known = posts.stream().anyMatch(p -> p.get("id").equals(id)) || reels.containsKey(id);
      if (!known || deleted.contains(id)) return MetaContainerSimulator.error(400, 100, 33, "Object with ID '" + id + "' does not exist");
      deleted.add(id);
      return Answer.json(200, Map.of("success", true));
    });
  }

  private boolean fetchable(String url) {
    try {
      return fetcher.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  protected void onReset() {
    posts.clear();
    deleted.clear();
    edited.clear();
    comments.clear();
  }
}
