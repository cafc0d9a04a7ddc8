package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TikTok Content Posting API (docs/platforms §8): creator_info/query, video/init and content/init with PULL_FROM_URL
 * (really pulled) or, for videos, FILE_UPLOAD (chunks PUT to the upload_url, checked against TikTok's chunk rules; the
 * status stays PROCESSING_UPLOAD until every byte has arrived), status/fetch going PROCESSING_DOWNLOAD → PUBLISH_COMPLETE; every answer carries
 * {"error":{"code","message","log_id"}}. Failures for {@link #failNext} on "/init/": "expired_token", "rate_limited",
 * "too_many_posts" (HTTP 200 with spam_risk on creator_info too), "pull_failed" (the status ends FAILED video_pull_failed
 * once), "lose_answer". Uploads to the inbox (inbox/video/init, or content/init with post_mode MEDIA_UPLOAD) end in
 * SEND_TO_USER_INBOX and count against the creator's 5 pending shares (spam_risk_too_many_pending_share).
 */
public class TikTokSimulator extends Simulator {
  public static final String TOKEN = "tiktok-token";
  public static final String OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4";
  /** Login Kit: the client is a "client_key" (authorization URL and token form); the token answer carries open_id. */
  public final OAuthServer oauth = new OAuthServer(this, "tiktok", new OAuthServer.Dialect("/v2/auth/authorize/", "/v2/oauth/token/", "client_key",
      false, false, Map.of(), 86_400), true, tokens -> {
        Map<String, Object> answer = new java.util.LinkedHashMap<>(tokens);
        answer.put("open_id", OPEN_ID);
        answer.put("refresh_expires_in", 31_536_000);
        return answer;
      });
  public final List<JsonNode> published = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> inits = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1);
  private final HttpClient fetcher = HttpClient.newHttpClient();

  public TikTokSimulator() {
    route("GET", "/v2/user/info/", (call, path) -> oauth.accepts(call)
        ? Answer.json(200, Map.of("data", Map.of("user", Map.of("open_id", OPEN_ID, "union_id", "u-" + OPEN_ID, "display_name", "Ada", "username", "ada.tok")),
            "error", Map.of("code", "ok", "message", "", "log_id", "20261206")))
        : Answer.json(401, Map.of("error", Map.of("code", "access_token_invalid", "message", "The access token is invalid or not found in the request.", "log_id", "20261206"))));
    route("POST", "/v2/post/publish/creator_info/query/", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return error(401, "access_token_invalid", "The access token is invalid or not found in the request.");
      return Answer.json(200, Map.of("data", Map.of("creator_username", "tester", "privacy_level_options",
          List.of("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"), "comment_disabled", false, "duet_disabled", false,
          "stitch_disabled", true, "max_video_post_duration_sec", 600), "error", Map.of("code", "ok", "message", "", "log_id", "l1")));
    });
    route("POST", "/v2/post/publish/(video|content|inbox/video)/init/", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) return error(401, "access_token_invalid", "The access token is invalid.");
      if ("rate_limited".equals(failure)) return error(429, "rate_limit_exceeded", "API rate limit exceeded");
      if ("too_many_posts".equals(failure)) return error(403, "spam_risk_too_many_posts", "The daily post cap is reached");
      JsonNode body = call.json();
      boolean toInbox = path.group(1).startsWith("inbox") || "MEDIA_UPLOAD".equals(body.path("post_mode").asText());
      if (toInbox && inbox.size() + inboxPending.size() >= MAX_PENDING_SHARES) {
        return error(403, "spam_risk_too_many_pending_share", "The user has too many pending shares in their inbox");
      }
      JsonNode source = body.path("source_info");
      if ("FILE_UPLOAD".equals(source.path("source").asText())) {
        String problem = chunkPlanProblem(source.path("video_size").asLong(), source.path("chunk_size").asLong(), source.path("total_chunk_count").asLong());
        if (problem != null) return error(400, "invalid_params", problem);
        String id = "v_inbox_file~v2." + ids.incrementAndGet();
        inits.put(id, body);
        if (toInbox) inboxPending.add(id);
        uploads.put(id, new Upload(source.path("video_size").asLong(), source.path("chunk_size").asLong(), source.path("total_chunk_count").asLong()));
        polls.put(id, new AtomicInteger(2));
        return Answer.json(200, Map.of("data", Map.of("publish_id", id, "upload_url", baseUrl() + "/upload/" + id),
            "error", Map.of("code", "ok", "message", "", "log_id", "l2")));
      }
      List<String> urls = new java.util.ArrayList<>();
      if (source.has("video_url")) urls.add(source.path("video_url").asText());
      source.path("photo_images").forEach(u -> urls.add(u.asText()));
      for (String url : urls) {
        if (!fetchable(url)) return error(403, "url_ownership_unverified", "The URL's domain is not verified");
      }
      String id = "v_pub_url~v2." + ids.incrementAndGet();
      inits.put(id, body);
      if (toInbox) inboxPending.add(id);
      polls.put(id, new AtomicInteger(2));
      if ("pull_failed".equals(failure)) failures.put(id, "video_pull_failed");
      Answer answer = Answer.json(200, Map.of("data", Map.of("publish_id", id), "error", Map.of("code", "ok", "message", "", "log_id", "l2")));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    // FILE_UPLOAD: chunks in order, each exactly its share (the last takes the rest); 206 until the last, then 201.
    route("PUT", "/upload/(.+)", (call, path) -> {
      Upload upload = uploads.get(path.group(1));
      if (upload == null) return Answer.empty(404);
      if ("server_error".equals(scriptedFailure(call))) return Answer.empty(503);
      java.util.regex.Matcher range = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(String.valueOf(call.header("Content-Range")));
      if (!range.matches()) return Answer.empty(416);
      long from = Long.parseLong(range.group(1));
      long to = Long.parseLong(range.group(2));
      long index = upload.received.get() / upload.chunk;
      boolean last = index == upload.count - 1;
      long expectedTo = last ? upload.size - 1 : from + upload.chunk - 1;
      if (from != upload.received.get() || to != expectedTo || Long.parseLong(range.group(3)) != upload.size || call.body().length != to - from + 1
          || !String.valueOf(call.header("Content-Type")).startsWith("video/")) {
        return Answer.empty(416);
      }
      upload.received.addAndGet(call.body().length);
      upload.chunksReceived.incrementAndGet();
      return Answer.empty(last ? 201 : 206);
    });
    route("POST", "/v2/post/publish/status/fetch/", (call, path) -> {
      String id = call.json().path("publish_id").asText();
      AtomicInteger left = polls.get(id);
      if (left == null) return error(400, "invalid_params", "publish_id not found");
      Upload upload = uploads.get(id);
      if (upload != null && upload.received.get() < upload.size) return status(id, "PROCESSING_UPLOAD", null);
      if (left.getAndDecrement() > 0) return status(id, "PROCESSING_DOWNLOAD", null);
      String failed = failures.get(id);
      if (failed != null) return status(id, "FAILED", failed);
      if (inboxPending.remove(id)) inbox.add(((com.fasterxml.jackson.databind.node.ObjectNode) inits.get(id).deepCopy()).put("publish_id", id));
      if (inbox.stream().anyMatch(p -> p.path("publish_id").asText().equals(id))) return status(id, "SEND_TO_USER_INBOX", null);
      if (published.stream().noneMatch(p -> p.path("publish_id").asText().equals(id))) {
        published.add(((com.fasterxml.jackson.databind.node.ObjectNode) inits.get(id).deepCopy()).put("publish_id", id));
      }
      return status(id, "PUBLISH_COMPLETE", null);
    });
  }

  /**
   * Uploads sent to the creator's inbox (post_mode MEDIA_UPLOAD, or the inbox video endpoint), as their init bodies with
   * the publish_id: they wait there for the creator, who finishes the post in the app (nobody does here).
   */
  public final List<JsonNode> inbox = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> inboxPending = ConcurrentHashMap.newKeySet();
  /** [TT4]: at most 5 pending shares per creator in 24 hours. */
  public static final int MAX_PENDING_SHARES = 5;

  /** A FILE_UPLOAD in progress: what init announced and how much has arrived. */
  public static final class Upload {
    final long size;
    final long chunk;
    final long count;
    final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    public final AtomicInteger chunksReceived = new AtomicInteger();

    Upload(long size, long chunk, long count) {
      this.size = size;
      this.chunk = chunk;
      this.count = count;
    }

    public boolean complete() {
      return received.get() == size;
    }
  }

  /** FILE_UPLOAD inits, by publish_id. */
  public final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  /**
   * TikTok's chunk rules (docs/platforms §8): a video up to 64 MB may go whole (one chunk of its size); otherwise chunks
   * of 5 to 64 MB, total_chunk_count = floor(video_size / chunk_size) (1 to 1,000), the last chunk at most 128 MB.
   */
  static String chunkPlanProblem(long size, long chunk, long count) {
    long mb = 1024L * 1024;
    if (size <= 0) return "video_size is required";
    if (count == 1 && chunk == size) return size <= 64 * mb ? null : "a video over 64 MB must be sent in chunks";
    if (chunk < 5 * mb || chunk > 64 * mb) return "chunk_size must be 5 MB to 64 MB";
    if (count != size / chunk || count < 1 || count > 1000) return "total_chunk_count must be floor(video_size / chunk_size), 1 to 1000";
    if (size - (count - 1) * chunk > 128 * mb) return "the last chunk may be at most 128 MB";
    return null;
  }

  private Answer status(String id, String status, String failReason) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("status", status);
    if (failReason != null) data.put("fail_reason", failReason);
    if (status.equals("PUBLISH_COMPLETE")) data.put("publicaly_available_post_id", List.of(7_300_000_000L + Math.abs(id.hashCode())));
    return Answer.json(200, Map.of("data", data, "error", Map.of("code", "ok", "message", "", "log_id", "l3")));
  }

  private boolean fetchable(String url) {
    try {
      return fetcher.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static Answer error(int status, String code, String message) {
    return Answer.json(status, Map.of("data", Map.of(), "error", Map.of("code", code, "message", message, "log_id", "202612010000")));
  }

  @Override
  protected void onReset() {
    published.clear();
    uploads.clear();
    inbox.clear();
    inboxPending.clear();
  }
}
