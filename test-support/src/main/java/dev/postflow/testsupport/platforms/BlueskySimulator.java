package dev.postflow.testsupport.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An AT Protocol PDS (docs/platforms §6): createSession / refreshSession with JWTs (app passwords), atproto OAuth with
 * DPoP-bound tokens ({@link AtprotoAuthServer}; the PDS is its own authorization server) and a PLC directory, uploadBlob (2,000,000-byte image
 * cap), resolveHandle, createRecord of app.bsky.feed.post with a client-chosen rkey (a taken key is refused), getRecord;
 * XRPC errors {"error","message"}; 429 with RateLimit-Reset. Failures for {@link #failNext}: "expired_token",
 * "rate_limited", "server_error", "lose_answer" (the record is stored, the answer comes too late), "cut_off" (the call
 * dies on the way: nothing stored, and the answer comes too late).
 */
public class BlueskySimulator extends Simulator {
  public static final String DID = "did:plc:testuser123";
  static final String COLLECTION = "app.bsky.feed.post";
  public static final String APP_PASSWORD = "abcd-efgh-ijkl-mnop";
  public final Map<String, JsonNode> records = new ConcurrentHashMap<>();
  /** Other users' posts on the network (at:// URI → record), which the account can reply to; their cid is "bafyrei" + rkey. */
  public final Map<String, JsonNode> othersPosts = new ConcurrentHashMap<>();
  /** Record keys deleted with deleteRecord, in order (a record deleted twice is listed once). */
  public final List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
  public final AtomicInteger sessionsCreated = new AtomicInteger();
  private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, Boolean> refreshTokens = new ConcurrentHashMap<>();
  private static final Pattern GRAPHEME = Pattern.compile("\\X");
  public static final String HANDLE = "test.bsky.social";
  /** atproto OAuth: this PDS is its own authorization server (as a self-hosted PDS is). */
  public final AtprotoAuthServer oauth;

  public BlueskySimulator() {
    oauth = new AtprotoAuthServer(this, DID);
    // The PLC directory (plc.directory/<did>): the account's DID document names its handle and this PDS.
    route("GET", "/did:plc:[a-z0-9]+", (call, path) -> {
      if (!call.path().equals("/" + DID)) return Answer.json(404, Map.of("message", "DID not registered: " + call.path().substring(1)));
      return Answer.json(200, Map.of("id", DID, "alsoKnownAs", java.util.List.of("at://" + HANDLE),
          "service", java.util.List.of(Map.of("id", "#atproto_pds", "type", "AtprotoPersonalDataServer", "serviceEndpoint", baseUrl()))));
    });
    route("POST", "/xrpc/com.atproto.server.createSession", (call, path) -> {
      JsonNode body = call.json();
      if (!APP_PASSWORD.equals(body.path("password").asText()) || !DID.equals(body.path("identifier").asText())) {
        return Answer.json(401, Map.of("error", "AuthenticationRequired", "message", "Invalid identifier or password"));
      }
      sessionsCreated.incrementAndGet();
      return Answer.json(200, newSession());
    });
    route("POST", "/xrpc/com.atproto.server.refreshSession", (call, path) -> {
      if (refreshTokens.remove(bearer(call) == null ? "" : bearer(call)) == null) {
        return Answer.json(400, Map.of("error", "ExpiredToken", "message", "Token has expired"));
      }
      return Answer.json(200, newSession());
    });
    route("GET", "/xrpc/com.atproto.identity.resolveHandle", (call, path) -> {
      String handle = call.query().get("handle");
      if ("alice.bsky.social".equals(handle)) return Answer.json(200, Map.of("did", "did:plc:alice"));
      if (HANDLE.equals(handle)) return Answer.json(200, Map.of("did", DID));
      return Answer.json(400, Map.of("error", "InvalidRequest", "message", "Unable to resolve handle"));
    });
    route("POST", "/xrpc/com.atproto.repo.uploadBlob", (call, path) -> {
      Answer denied = checkToken(call);
      if (denied != null) return denied;
      if (call.body().length > 2_000_000) return Answer.json(400, Map.of("error", "BlobTooLarge", "message", "This file is too large"));
      return Answer.json(200, Map.of("blob", Map.of("$type", "blob", "ref", Map.of("$link", "bafk" + UUID.randomUUID()),
          "mimeType", call.header("Content-Type"), "size", call.body().length)));
    });
    route("POST", "/xrpc/com.atproto.repo.createRecord", (call, path) -> {
      String failure = scriptedFailure(call);
      String text = call.json().path("record").path("text").asText();
      if (failure == null) failure = textFailure(text, any -> true);
      if ("expired_token".equals(failure)) return Answer.json(400, Map.of("error", "ExpiredToken", "message", "Token has expired"));
      Answer denied = checkToken(call);
      if (denied != null) return denied;
      if ("rate_limited".equals(failure)) {
        return Answer.json(429, Map.of("error", "RateLimitExceeded", "message", "Rate Limit Exceeded"))
            .with("RateLimit-Reset", String.valueOf(Instant.now().getEpochSecond() + 1)).with("RateLimit-Remaining", "0");
      }
      if ("server_error".equals(failure)) return Answer.json(502, Map.of("error", "InternalServerError", "message", "upstream failed"));
      if ("invalid_record".equals(failure)) return Answer.json(400, Map.of("error", "InvalidRequest", "message", "Invalid app.bsky.feed.post record"));
      if ("cut_off".equals(failure)) return Answer.json(502, Map.of("error", "InternalServerError", "message", "lost")).late(5_000);
      JsonNode body = call.json();
      String rkey = body.path("rkey").asText();
      if (records.containsKey(rkey)) {
        return Answer.json(400, Map.of("error", "InvalidRequest", "message", "Could not create record: There is already a value at key " + rkey));
      }
      long graphemes = GRAPHEME.matcher(text).results().count();
      if (graphemes > 300) return Answer.json(400, Map.of("error", "InvalidRequest", "message", "Record/text must not be longer than 300 graphemes"));
      String badReply = checkReply(body.path("record").path("reply"));
      if (badReply != null) return Answer.json(400, Map.of("error", "InvalidRequest", "message", badReply));
      String badCaptions = checkCaptions(body.path("record").path("embed"));
      if (badCaptions != null) return Answer.json(400, Map.of("error", "InvalidRequest", "message", badCaptions));
      records.put(rkey, body.path("record"));
      Answer answer = Answer.json(200, Map.of("uri", "at://" + DID + "/app.bsky.feed.post/" + rkey, "cid", "bafyrei" + rkey));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    // deleteRecord: 200 whether or not the record was there (a repeat is harmless), as the reference PDS answers
    route("POST", "/xrpc/com.atproto.repo.deleteRecord", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure)) return Answer.json(400, Map.of("error", "ExpiredToken", "message", "Token has expired"));
      Answer denied = checkToken(call);
      if (denied != null) return denied;
      if ("server_error".equals(failure)) return Answer.json(502, Map.of("error", "InternalServerError", "message", "upstream failed"));
      String rkey = call.json().path("rkey").asText();
      if (!COLLECTION.equals(call.json().path("collection").asText()) || !DID.equals(call.json().path("repo").asText())) {
        return Answer.json(400, Map.of("error", "InvalidRequest", "message", "repo and collection must name the account's posts"));
      }
      if (records.remove(rkey) != null) deleted.add(rkey);
      return Answer.json(200, Map.of("commit", Map.of("cid", "bafyreicommit", "rev", "3l" + rkey)));
    });
    // Service auth: a token the PDS signs for another service (aud) and one method (lxm), here readable as aud|lxm|exp
    route("GET", "/xrpc/com.atproto.server.getServiceAuth", (call, path) -> {
      Answer denied = checkToken(call);
      if (denied != null) return denied;
      String aud = call.query().get("aud");
      String lxm = call.query().get("lxm");
      if (aud == null || lxm == null) return Answer.json(400, Map.of("error", "InvalidRequest", "message", "aud and lxm are required"));
      serviceTokens.add(aud + " " + lxm);
      String token = "svc." + Base64.getUrlEncoder().withoutPadding().encodeToString((aud + "|" + lxm + "|" + DID).getBytes(StandardCharsets.UTF_8));
      return Answer.json(200, Map.of("token", token));
    });
    videoService();
    route("GET", "/xrpc/com.atproto.repo.getRecord", (call, path) -> {
      Answer denied = checkToken(call);
      if (denied != null) return denied;
      // another repo's record: the PDS answers it from the network, as the reference PDS does for repos it does not host
      String repo = call.query().getOrDefault("repo", DID);
      String uri = "at://" + repo + "/app.bsky.feed.post/" + call.query().get("rkey");
      JsonNode record = recordAt(uri);
      if (record == null) return Answer.json(400, Map.of("error", "RecordNotFound", "message", "Could not locate record: " + uri));
      return Answer.json(200, Map.of("uri", uri, "cid", "bafyrei" + call.query().get("rkey"), "value", record));
    });
  }

  /**
   * A reply's strong references (app.bsky.feed.post#replyRef) must name records that exist, by URI and content hash, and
   * the parent's thread: its root is the reply's root (a post that is no reply is its own root). null when it does.
   */
  private String checkReply(JsonNode reply) {
    if (reply.isMissingNode()) return null;
    for (String ref : new String[] {"root", "parent"}) {
      String uri = reply.path(ref).path("uri").asText();
      String rkey = uri.substring(uri.lastIndexOf('/') + 1);
      if (recordAt(uri) == null) return "reply." + ref + " names no record: " + uri;
      if (!reply.path(ref).path("cid").asText().equals("bafyrei" + rkey)) return "reply." + ref + ".cid does not match " + uri;
    }
    String parentUri = reply.path("parent").path("uri").asText();
    JsonNode parent = recordAt(parentUri);
    String parentRoot = parent.path("reply").isMissingNode() ? parentUri : parent.path("reply").path("root").path("uri").asText();
    return parentRoot.equals(reply.path("root").path("uri").asText()) ? null : "reply.root is not the parent's root";
  }


  /** The post at this at:// URI: the account's own or another user's; null when there is none. */
  private JsonNode recordAt(String uri) {
    String own = "at://" + DID + "/app.bsky.feed.post/";
    return uri.startsWith(own) ? records.get(uri.substring(own.length())) : othersPosts.get(uri);
  }

  /** Makes every access token expire now (the next call gets ExpiredToken). */
  public void expireAccessTokens() {
    accessTokens.replaceAll((token, expiry) -> Instant.now().minusSeconds(1));
  }

  private Answer checkToken(Call call) {
    if (AtprotoAuthServer.uses(call)) return oauth.check(call);
    Instant expiry = accessTokens.get(bearer(call) == null ? "" : bearer(call));
    if (expiry == null) return Answer.json(401, Map.of("error", "InvalidToken", "message", "Bad token"));
    if (expiry.isBefore(Instant.now())) return Answer.json(400, Map.of("error", "ExpiredToken", "message", "Token has expired"));
    return null;
  }

  private Map<String, Object> newSession() {
    long exp = Instant.now().plusSeconds(7200).getEpochSecond();
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"scope\":\"com.atproto.access\",\"sub\":\"" + DID + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
    String access = "eyJhbGciOiJIUzI1NiJ9." + payload + "." + UUID.randomUUID();
    String refresh = "refresh-" + UUID.randomUUID();
    accessTokens.put(access, Instant.ofEpochSecond(exp));
    refreshTokens.put(refresh, true);
    return Map.of("accessJwt", access, "refreshJwt", refresh, "handle", "test.bsky.social", "did", DID);
  }

  /** The video service's DID, as a service token for getUploadLimits must name it. */
  public static final String VIDEO_SERVICE_DID = "did:web:video.bsky.app";
  /** Services tokens were asked for ("aud lxm"). */
  public final List<String> serviceTokens = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Videos the video service received, by job id: the bytes' size. */
  public final Map<String, Integer> videoJobs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> jobPolls = new ConcurrentHashMap<>();
  private final Map<String, String> jobByContent = new ConcurrentHashMap<>();
  private final Map<String, String> jobFailures = new ConcurrentHashMap<>();
  /** Videos the account may still upload today (getUploadLimits). */
  public final AtomicInteger videosLeftToday = new AtomicInteger(25);

  /**
   * Bluesky's video service (video.bsky.app; tests point postflow.platforms.bluesky.video-service-url here):
   * {@code getUploadLimits} with a service token for the video service; {@code uploadVideo?did&name} with a service
   * token whose audience is the account's PDS and method {@code com.atproto.repo.uploadBlob} (the service stores the
   * processed blob there), answering a job; {@code getJobStatus} until JOB_STATE_COMPLETED with the blob. The same
   * bytes again are 409 already_exists naming the first job. {@link #failNext} on "uploadVideo": "processing_failed".
   */
  private void videoService() {
    route("GET", "/xrpc/app.bsky.video.getUploadLimits", (call, path) -> {
      if (!serviceToken(call, VIDEO_SERVICE_DID, "app.bsky.video.getUploadLimits")) {
        return Answer.json(401, Map.of("error", "AuthMissing", "message", "a service token for the video service is required"));
      }
      int left = videosLeftToday.get();
      Map<String, Object> limits = new java.util.LinkedHashMap<>(Map.of("canUpload", left > 0, "remainingDailyVideos", left,
          "remainingDailyBytes", left * 100_000_000L));
      if (left <= 0) limits.put("message", "You have reached your daily upload limit");
      return Answer.json(200, limits);
    });
    route("POST", "/xrpc/app.bsky.video.uploadVideo", (call, path) -> {
      String pdsHost = java.net.URI.create(baseUrl()).getHost();
      if (!serviceToken(call, "did:web:" + pdsHost, "com.atproto.repo.uploadBlob")) {
        return Answer.json(401, Map.of("error", "AuthMissing", "message", "a service token for the PDS (com.atproto.repo.uploadBlob) is required"));
      }
      if (!DID.equals(call.query().get("did")) || call.query().get("name") == null) {
        return Answer.json(400, Map.of("error", "InvalidRequest", "message", "did and name are required"));
      }
      byte[] bytes = call.body();
      if (bytes.length == 0 || !"video/mp4".equals(call.header("Content-Type"))) {
        return Answer.json(400, Map.of("error", "InvalidRequest", "message", "an MP4 video is required"));
      }
      String content = Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length;
      String existing = jobByContent.get(content);
      if (existing != null) {
        return Answer.json(409, Map.of("error", "already_exists", "message", "Video already processed", "jobId", existing));
      }
      if (videosLeftToday.getAndDecrement() <= 0) {
        return Answer.json(400, Map.of("error", "InvalidRequest", "message", "You have reached your daily upload limit"));
      }
      String job = "job" + UUID.randomUUID().toString().substring(0, 8);
      jobByContent.put(content, job);
      videoJobs.put(job, bytes.length);
      jobPolls.put(job, new AtomicInteger(2));
      if ("processing_failed".equals(scriptedFailure(call))) jobFailures.put(job, "Video is too long");
      return Answer.json(200, Map.of("jobStatus", Map.of("jobId", job, "did", DID, "state", "JOB_STATE_CREATED")));
    });
    route("GET", "/xrpc/app.bsky.video.getJobStatus", (call, path) -> {
      String job = call.query().get("jobId");
      AtomicInteger left = jobPolls.get(job);
      if (left == null) return Answer.json(400, Map.of("error", "InvalidRequest", "message", "job not found"));
      if (left.getAndDecrement() > 0) return Answer.json(200, Map.of("jobStatus", Map.of("jobId", job, "did", DID, "state", "JOB_STATE_ENCODING", "progress", 50)));
      if (jobFailures.containsKey(job)) {
        return Answer.json(200, Map.of("jobStatus", Map.of("jobId", job, "did", DID, "state", "JOB_STATE_FAILED", "error", jobFailures.get(job))));
      }
      return Answer.json(200, Map.of("jobStatus", Map.of("jobId", job, "did", DID, "state", "JOB_STATE_COMPLETED", "progress", 100,
          "blob", Map.of("$type", "blob", "ref", Map.of("$link", "bafkvid" + job), "mimeType", "video/mp4", "size", videoJobs.get(job)))));
    });
  }

  private static boolean serviceToken(Call call, String aud, String lxm) {
    String token = bearer(call);
    if (token == null || !token.startsWith("svc.")) return false;
    String[] parts = new String(Base64.getUrlDecoder().decode(token.substring(4)), StandardCharsets.UTF_8).split("\\|");
    return parts.length == 3 && parts[0].equals(aud) && parts[1].equals(lxm) && parts[2].equals(DID);
  }

  /** app.bsky.embed.video: at most 20 captions, each {lang, file} with a text/vtt blob of at most 20,000 bytes. */
  private static String checkCaptions(JsonNode embed) {
    JsonNode captions = embed.path("captions");
    if (captions.isMissingNode()) return null;
    if (!"app.bsky.embed.video".equals(embed.path("$type").asText())) return "Invalid app.bsky.feed.post record: captions belong to a video embed";
    if (captions.size() > 20) return "Record/embed/captions must not have more than 20 elements";
    for (JsonNode caption : captions) {
      if (caption.path("lang").asText().isEmpty()) return "Record/embed/captions/lang is required";
      JsonNode file = caption.path("file");
      if (!"text/vtt".equals(file.path("mimeType").asText())) return "Record/embed/captions/file mimeType must be text/vtt";
      if (file.path("size").asLong() > 20_000) return "Record/embed/captions/file is too big (max 20000 bytes)";
    }
    return null;
  }

  @Override
  protected void onReset() {
    records.clear();
    othersPosts.clear();
    deleted.clear();
    serviceTokens.clear();
    videoJobs.clear();
    jobByContent.clear();
    videosLeftToday.set(25);
  }
}
