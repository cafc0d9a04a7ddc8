package dev.postflow.publisher.platform.bluesky;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.atproto.AtprotoOAuth;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.contract.platform.TextCounter;
import dev.postflow.contract.crypto.Es256Key;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.account.AccountSessions;
import dev.postflow.publisher.account.AccountSessions.Session;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.DefiniteFailure;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.Polling;
import dev.postflow.publisher.platform.Polling.Poll;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import dev.postflow.publisher.platform.ThreadReplies;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Bluesky / AT Protocol (docs/platforms §6), on the account's PDS, authorized one of two ways: an atproto OAuth
 * session's DPoP-bound token ({@code Authorization: DPoP}, a proof per request signed with the account's DPoP key,
 * with the PDS's nonce; refreshed by TokenRefresher), or a session from {@code createSession} (the account's
 * app password) cached in publisher.account_session and renewed with {@code refreshSession}, never a login per post;
 * images through {@code uploadBlob}, a video through Bluesky's video service; {@code createRecord} of an {@code app.bsky.feed.post} with link, mention and tag
 * facets at UTF-8 byte offsets and a record key (TID) chosen once per target and stored first, so a repeat cannot
 * make a second post and {@code getRecord} tells whether the first one landed.
 */
@ApplicationScoped
public class BlueskyPublisher implements PlatformPublisher {
  static final String PLATFORM = "bluesky";
  static final String COLLECTION = "app.bsky.feed.post";

  @Inject WebClient http;
  @Inject Vertx vertx;
  @Inject AddressPolicy addressPolicy;
  @Inject TargetHandles handles;
  @Inject AccountSessions sessions;
  private LinkCards linkCards;

  /** Bluesky's video service, which processes videos and stores them on the account's PDS, and its DID. */
  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.platforms.bluesky.video-service-url", defaultValue = "https://video.bsky.app")
  String videoServiceUrl;

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.platforms.bluesky.video-service-did", defaultValue = "did:web:video.bsky.app")
  String videoServiceDid;

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.platforms.bluesky.video-poll-interval", defaultValue = "PT2S")
  Duration videoPollInterval;

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.platforms.bluesky.video-poll-timeout", defaultValue = "PT5M")
  Duration videoPollTimeout;

  @jakarta.annotation.PostConstruct
  void linkCards() {
    linkCards = new LinkCards(addressPolicy);
  }

  /** The session expired while we used it: refresh and call once more. */
  static final class SessionExpired extends RuntimeException {
    SessionExpired() {
      super("session expired", null, false, false);
    }
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("bluesky-publish")
  @Timeout(value = 10, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return Http.safeServer(vertx, addressPolicy, pds(account), PLATFORM).chain(pds ->
        handles.getOrCreate(request.targetId(), "rkey", Tid::next).chain(rkey ->
            withSession(pds, account, auth -> post(pds, auth, request, account, rkey))));
  }

  /** The rkey is chosen once per target and kept (TargetHandles): a second createRecord with it cannot add a record. */
  @Override
  public boolean createsAreKeyed() {
    return true;
  }

  /** Found when the post and, for a thread, every reply are on the PDS; else a keyed publish again makes what is missing. */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    int replies = ContentCheck.thread(request.platformOptions()).size();
    return handles.all(request.targetId()).chain(keys -> {
      String rkey = keys.get("rkey");
      if (rkey == null) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
      List<String> thread = new ArrayList<>(List.of(rkey));
      for (int n = 1; n <= replies; n++) {
        if (keys.get(ThreadReplies.handle("rkey", n)) == null) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
        thread.add(keys.get(ThreadReplies.handle("rkey", n)));
      }
      return Http.safeServer(vertx, addressPolicy, pds(account), PLATFORM)
          .chain(pds -> withSession(pds, account, auth -> allFound(pds, auth, account, thread)
              .map(all -> all ? ProviderOutcome.published(atUri(account, rkey), permalink(account, rkey), 200) : ProviderOutcome.failed(null, 404))))
          .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty());
    });
  }

  /**
   * {@code com.atproto.repo.deleteRecord} of each reply of a thread (the last first), then of the post, by record key. A
   * record already gone is no error on a PDS (the delete answers 200), so a repeat after a lost answer is harmless.
   */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    String rkey = request.platformPostId().substring(request.platformPostId().lastIndexOf('/') + 1);
    return handles.all(request.targetId()).chain(keys -> Http.safeServer(vertx, addressPolicy, pds(account), PLATFORM)
        .chain(pds -> withSession(pds, account, auth -> ThreadReplies.unpublish(request.platformOptions(), keys, "rkey",
            reply -> deleteRecord(pds, auth, account, reply), deleteRecord(pds, auth, account, rkey)))));
  }

  private Uni<ProviderOutcome> deleteRecord(Http.Server pds, Auth auth, AccountCredentials account, String rkey) {
    JsonObject body = new JsonObject().put("repo", account.externalId()).put("collection", COLLECTION).put("rkey", rkey);
    String path = "/xrpc/com.atproto.repo.deleteRecord";
    return Http.connectFailuresAreRetryable(auth.send(pds.post(http, path), "POST", pds.at(path), r -> r.sendJsonObject(body)), PLATFORM)
        .map(response -> response.statusCode() == 200 ? ProviderOutcome.removed(200) : failure(response));
  }

  private Uni<Boolean> allFound(Http.Server pds, Auth auth, AccountCredentials account, List<String> rkeys) {
    Uni<Boolean> chain = Uni.createFrom().item(true);
    for (String rkey : rkeys) {
      chain = chain.chain(found -> found ? find(pds, auth, account, rkey).map(Optional::isPresent) : Uni.createFrom().item(false));
    }
    return chain;
  }

  private Uni<ProviderOutcome> post(Http.Server pds, Auth auth, PublishRequest request, AccountCredentials account, String rkey) {
    List<String> thread = ContentCheck.thread(request.platformOptions());
    List<String> texts = new ArrayList<>(thread);
    if (request.text() != null) texts.add(0, request.text());
    return replyTo(pds, auth, request).chain(conversation ->
        uploadBlobs(pds, auth, account, request.targetId(), "video_job", request.mediaOrEmpty()).chain(blobs ->
        captions(pds, auth, account, request, ContentCheck.captions(request.platformOptions())).chain(captions -> resolveMentions(pds, auth, texts).chain(dids ->
        linkCard(pds, auth, request, request.text(), blobs.isEmpty()).chain(card -> {
      JsonObject record = postRecord(request.text(), dids, request);
      if (conversation != null) record.put("reply", new JsonObject().put("root", conversation.root().ref()).put("parent", conversation.parent().ref()));
      if (!blobs.isEmpty()) record.put("embed", embed(request.mediaOrEmpty(), blobs));
      else if (card != null) record.put("embed", card);
      withCaptions(record, captions);
      return create(pds, auth, account, rkey, record).chain(post -> replies(pds, auth, request, account, dids,
          ProviderOutcome.published(post.uri(), permalink(account, rkey), 200), post, conversation == null ? post : conversation.root()));
    })))));
  }

  /** Where a reply goes: under {@code parent}, in the thread that starts at {@code root}. */
  private record Conversation(Posted root, Posted parent) {}

  /**
   * The post named by {@code reply_to} and its thread's root (the parent's own {@code reply.root}, or the parent when it
   * replies to nothing), read with {@code com.atproto.repo.getRecord} through the account's PDS (which asks the network
   * for a repo it does not host), the author's handle resolved first where the link names one; null without
   * {@code reply_to}. A post that is not there fails the target: there is nothing to reply to.
   */
  private Uni<Conversation> replyTo(Http.Server pds, Auth auth, PublishRequest request) {
    String option = ContentCheck.replyTo(request.platformOptions());
    if (option == null) return Uni.createFrom().nullItem();
    String[] named = ContentCheck.blueskyPost(option);
    Uni<String> author = named[0].startsWith("did:") ? Uni.createFrom().item(named[0])
        : resolveHandle(pds, auth, named[0]);
    return author.chain(did -> {
      if (did == null) throw new DefiniteFailure(replyToMissing(option + ": its author's handle " + named[0] + " could not be resolved"));
      return record(pds, auth, did, named[1]);
    }).map(found -> {
      JsonObject parent = found.orElseThrow(() -> new DefiniteFailure(replyToMissing(option + " is not there (deleted, or a wrong link)")));
      Posted parentRef = new Posted(parent.getString("uri"), parent.getString("cid"));
      JsonObject root = parent.getJsonObject("value", new JsonObject()).getJsonObject("reply", new JsonObject()).getJsonObject("root");
      return new Conversation(root == null ? parentRef : new Posted(root.getString("uri"), root.getString("cid")), parentRef);
    });
  }

  private static ProviderOutcome replyToMissing(String why) {
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "reply_to_not_found", "RecordNotFound",
        "the post to reply to cannot be found on Bluesky: " + why), 400);
  }

  /**
   * A video's captions ({@code platform_options.bluesky.captions}, or a thread reply's own): each WebVTT file uploaded as a blob, named in the
   * video embed as {@code {lang, file}} [BS3]. Part of the post's record, so its record key keeps them to one post too.
   */
  private Uni<JsonArray> captions(Http.Server pds, Auth auth, AccountCredentials account, PublishRequest request,
      List<ContentCheck.Caption> captions) {
    List<MediaRef> files = captions.stream().map(c -> request.optionMedia() == null ? null : request.optionMedia().get(c.mediaId())).toList();
    if (captions.isEmpty() || files.contains(null)) return Uni.createFrom().item(new JsonArray());
    return uploadBlobs(pds, auth, account, request.targetId(), "video_job", files).map(blobs -> {
      JsonArray named = new JsonArray();
      for (int i = 0; i < blobs.size(); i++) named.add(new JsonObject().put("lang", captions.get(i).lang()).put("file", blobs.get(i)));
      return named;
    });
  }

  /** The captions go into the record's video embed (a post or reply without a video has none: checked before). */
  private static void withCaptions(JsonObject record, JsonArray captions) {
    if (!captions.isEmpty() && "app.bsky.embed.video".equals(record.getJsonObject("embed", new JsonObject()).getString("$type"))) {
      record.getJsonObject("embed").put("captions", captions);
    }
  }

  /** A post's record: text, facets (links, mentions, tags), languages. */
  private static JsonObject postRecord(String text, Map<String, String> dids, PublishRequest request) {
    JsonObject record = new JsonObject()
        .put("$type", COLLECTION)
        .put("text", text == null ? "" : text)
        .put("createdAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    JsonArray facets = Facets.of(text, dids);
    if (!facets.isEmpty()) record.put("facets", facets);
    Object langs = request.platformOptions() == null ? null : request.platformOptions().get("langs");
    if (langs instanceof String list && !list.isBlank()) record.put("langs", new JsonArray(List.of(list.split("\\s*,\\s*"))));
    return record;
  }

  /** A record on the PDS: its at:// URI and content hash, which a reply names. */
  private record Posted(String uri, String cid) {
    JsonObject ref() {
      return new JsonObject().put("uri", uri).put("cid", cid);
    }
  }

  /**
   * The thread's replies, each under the one before and all under the post ({@code reply.root}, {@code reply.parent}),
   * each with its own rkey chosen once per target: a reply already out answers "already exists" and is read back. A
   * reply's images or video are uploaded as blobs and embedded, as the post's are; a reply without media but with a
   * link gets its card.
   */
  private Uni<ProviderOutcome> replies(Http.Server pds, Auth auth, PublishRequest request, AccountCredentials account,
      Map<String, String> dids, ProviderOutcome post, Posted first, Posted root) {
    List<ContentCheck.ThreadPost> thread = ContentCheck.threadPosts(request.platformOptions());
    return ThreadReplies.publish(request, post, first, (n, text, media, parent) ->
        handles.getOrCreate(request.targetId(), ThreadReplies.handle("rkey", n), Tid::next)
            .chain(key -> uploadBlobs(pds, auth, account, request.targetId(), ThreadReplies.handle("video_job", n), media)
            .chain(blobs -> captions(pds, auth, account, request, thread.get(n - 1).captions())
            .chain(captions -> linkCard(pds, auth, request, text, blobs.isEmpty()).chain(card -> {
              JsonObject record = postRecord(text, dids, request).put("reply", new JsonObject().put("root", root.ref()).put("parent", parent.ref()));
              if (!blobs.isEmpty()) record.put("embed", embed(media, blobs));
              else if (card != null) record.put("embed", card);
              withCaptions(record, captions);
              return create(pds, auth, account, key, record);
            })))
            .onFailure(DefiniteFailure.class).transform(f -> ThreadReplies.refused(((DefiniteFailure) f).outcome(), request, n))));
  }

  /** createRecord under {@code rkey}; a taken key means an earlier attempt landed: that record, never a second one. */
  private Uni<Posted> create(Http.Server pds, Auth auth, AccountCredentials account, String rkey, JsonObject record) {
    JsonObject body = new JsonObject().put("repo", account.externalId()).put("collection", COLLECTION).put("rkey", rkey).put("record", record);
    String path = "/xrpc/com.atproto.repo.createRecord";
    String url = pds.at(path);
    return Http.connectFailuresAreRetryable(auth.send(pds.post(http, path), "POST", url, r -> r.sendJsonObject(body)), PLATFORM)
        .chain(response -> {
          if (response.statusCode() == 200) {
            JsonObject created = Http.json(response);
            return Uni.createFrom().item(new Posted(created.getString("uri"), created.getString("cid")));
          }
          String message = Http.json(response).getString("message", "");
          if (response.statusCode() == 400 && (message.contains("already") || message.contains("exists"))) {
            return find(pds, auth, account, rkey).map(found -> found.orElseThrow(() -> new DefiniteFailure(failure(response))));
          }
          throw new DefiniteFailure(failure(response));
        });
  }

  /**
   * The card of the post's first link ({@code app.bsky.embed.external}), as Bluesky's own apps add one: only for a
   * post without media, unless {@code link_card} is "none". A page that cannot be read gives no card, and a thumb the
   * PDS refuses gives a card without one; neither stops the post.
   */
  private Uni<JsonObject> linkCard(Http.Server pds, Auth auth, PublishRequest request, String text, boolean noMedia) {
    Object option = request.platformOptions() == null ? null : request.platformOptions().get("link_card");
    java.util.Set<String> links = TextCounter.links(text);
    if (!noMedia || "none".equals(option) || links.isEmpty()) return Uni.createFrom().nullItem();
    String url = links.iterator().next();
    return vertx.executeBlocking(Uni.createFrom().item(() -> {
          try {
            return linkCards.read(url);
          } catch (Exception unreadable) {
            Log.infof("no link card for %s: %s", url, unreadable.toString());
            return null;
          }
        }))
        .chain(card -> {
          if (card == null) return Uni.createFrom().<JsonObject>nullItem();
          JsonObject external = new JsonObject().put("uri", card.uri()).put("title", card.title()).put("description", card.description());
          JsonObject embed = new JsonObject().put("$type", "app.bsky.embed.external").put("external", external);
          if (card.image() == null) return Uni.createFrom().item(embed);
          String uploadPath = "/xrpc/com.atproto.repo.uploadBlob";
          String uploadUrl = pds.at(uploadPath);
          return auth.send(pds.post(http, uploadPath).putHeader("Content-Type", card.imageType()), "POST", uploadUrl,
                  r -> r.sendBuffer(Buffer.buffer(card.image())))
              .map(response -> {
                if (response.statusCode() == 200) external.put("thumb", Http.json(response).getJsonObject("blob"));
                return embed;
              })
              .onFailure().recoverWithItem(embed);
        });
  }

  private Uni<Optional<Posted>> find(Http.Server pds, Auth auth, AccountCredentials account, String rkey) {
    return record(pds, auth, account.externalId(), rkey).map(found -> found.map(record -> new Posted(record.getString("uri"), record.getString("cid"))));
  }

  /** {@code com.atproto.repo.getRecord} of a post in {@code repo}: {uri, cid, value}, or empty when there is none. */
  private Uni<Optional<JsonObject>> record(Http.Server pds, Auth auth, String repo, String rkey) {
    String path = "/xrpc/com.atproto.repo.getRecord";
    String url = pds.at(path);
    return auth.send(pds.get(http, path).addQueryParam("repo", repo).addQueryParam("collection", COLLECTION).addQueryParam("rkey", rkey),
            "GET", url, HttpRequest::send)
        .map(response -> {
          if (response.statusCode() == 200) return Optional.of(Http.json(response));
          String error = Http.json(response).getString("error", "");
          if (response.statusCode() == 400 && error.equals("RecordNotFound")) return Optional.<JsonObject>empty();
          failure(response); // throws for expired sessions, rate limits, 5xx
          throw new IllegalStateException("getRecord answered " + response.statusCode());
        });
  }

  private static JsonObject embed(List<MediaRef> media, List<JsonObject> blobs) {
    if (media.get(0).isVideo()) {
      JsonObject video = new JsonObject().put("$type", "app.bsky.embed.video").put("video", blobs.get(0));
      if (media.get(0).altText() != null) video.put("alt", media.get(0).altText());
      if (media.get(0).width() != null) video.put("aspectRatio", new JsonObject().put("width", media.get(0).width()).put("height", media.get(0).height()));
      return video;
    }
    JsonArray images = new JsonArray();
    for (int i = 0; i < media.size(); i++) {
      MediaRef m = media.get(i);
      JsonObject image = new JsonObject().put("image", blobs.get(i)).put("alt", m.altText() == null ? "" : m.altText());
      if (m.width() != null && m.height() != null) image.put("aspectRatio", new JsonObject().put("width", m.width()).put("height", m.height()));
      images.add(image);
    }
    return new JsonObject().put("$type", "app.bsky.embed.images").put("images", images);
  }

  /**
   * The media as blobs on the PDS: images by {@code uploadBlob}, a video through Bluesky's video service (processed
   * there, then stored on the PDS; {@link #videoBlob}). {@code jobHandle} keeps the video's processing job per target
   * and step, so a retry waits for the same job instead of uploading the video again.
   */
  private Uni<List<JsonObject>> uploadBlobs(Http.Server pds, Auth auth, AccountCredentials account, String target, String jobHandle,
      List<MediaRef> media) {
    Uni<List<JsonObject>> chain = Uni.createFrom().item(new ArrayList<>());
    String path = "/xrpc/com.atproto.repo.uploadBlob";
    String url = pds.at(path);
    for (MediaRef m : media) {
      if (m.isVideo()) {
        chain = chain.chain(blobs -> videoBlob(pds, auth, account, m, target, jobHandle).map(blob -> {
          blobs.add(blob);
          return blobs;
        }));
        continue;
      }
      chain = chain.chain(blobs -> Http.download(http, m, PLATFORM)
          .chain(bytes -> Http.connectFailuresAreRetryable(auth.send(pds.post(http, path).putHeader("Content-Type", m.mimeType()), "POST", url,
              r -> r.sendBuffer(bytes)), PLATFORM))
          .map(response -> {
            if (response.statusCode() != 200) {
              ProviderOutcome failed = failure(response);
              throw new DefiniteFailure(failed.error().code().equals("content_rejected")
                  ? ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, failed.error().providerCode(), failed.error().message()), response.statusCode())
                  : failed);
            }
            blobs.add(Http.json(response).getJsonObject("blob"));
            return blobs;
          }));
    }
    return chain;
  }

  /**
   * A video through Bluesky's video service (docs/platforms §6 [BS12]): its upload limits first ({@code
   * getUploadLimits}, with a service token for the video service), then {@code uploadVideo} with a service token whose
   * audience is the account's PDS ({@code com.atproto.repo.uploadBlob}: the service stores the processed video there),
   * then {@code getJobStatus} until the job is complete and names the blob. The job id is kept before it is waited
   * for; the same video again answers 409 already_exists with the first job's id, which is waited for instead.
   */
  private Uni<JsonObject> videoBlob(Http.Server pds, Auth auth, AccountCredentials account, MediaRef video, String target, String jobHandle) {
    return handles.get(target, jobHandle).chain(kept -> kept != null ? awaitVideoJob(kept)
        : serviceToken(pds, auth, videoServiceDid, "app.bsky.video.getUploadLimits")
            .chain(token -> http.getAbs(videoServiceUrl + "/xrpc/app.bsky.video.getUploadLimits").putHeader("Authorization", "Bearer " + token).send())
            .chain(limits -> {
              JsonObject body = Http.json(limits);
              if (limits.statusCode() != 200) throw new DefiniteFailure(failure(limits));
              if (!body.getBoolean("canUpload", true)) {
                throw new DefiniteFailure(ProviderOutcome.failed(ProviderErrors.quotaExhausted(PLATFORM, body.getString("error", "upload_limit"),
                    "Bluesky's video service takes no more videos from this account today: " + body.getString("message", "")
                        + " (" + body.getValue("remainingDailyVideos", "?") + " videos left)"), 200));
              }
              return serviceToken(pds, auth, "did:web:" + java.net.URI.create(pds(account)).getHost(), "com.atproto.repo.uploadBlob");
            })
            .chain(token -> Http.download(http, video, PLATFORM).chain(bytes -> Http.connectFailuresAreRetryable(
                http.postAbs(videoServiceUrl + "/xrpc/app.bsky.video.uploadVideo").addQueryParam("did", account.externalId())
                    .addQueryParam("name", video.id() + ".mp4").putHeader("Authorization", "Bearer " + token)
                    .putHeader("Content-Type", video.mimeType()).sendBuffer(bytes), PLATFORM)))
            .chain(response -> {
              JsonObject body = Http.json(response);
              String job = body.getJsonObject("jobStatus", new JsonObject()).getString("jobId", body.getString("jobId"));
              boolean known = response.statusCode() == 409 && "already_exists".equals(body.getString("error"));
              if ((response.statusCode() != 200 && !known) || job == null) {
                ProviderOutcome failed = failure(response);
                throw new DefiniteFailure(failed.error().code().equals("content_rejected")
                    ? ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, failed.error().providerCode(), failed.error().message()), response.statusCode())
                    : failed);
              }
              return handles.put(target, jobHandle, job).chain(() -> awaitVideoJob(job));
            }));
  }

  /** The processed video's blob once its job is complete; a failed job is the video refused. */
  private Uni<JsonObject> awaitVideoJob(String job) {
    return Polling.until(() -> http.getAbs(videoServiceUrl + "/xrpc/app.bsky.video.getJobStatus").addQueryParam("jobId", job).send()
            .map(response -> {
              if (response.statusCode() != 200) {
                failure(response); // throws for rate limits and 5xx
                return Poll.<JsonObject>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, String.valueOf(response.statusCode()),
                    "Bluesky's video service does not know job " + job), response.statusCode()));
              }
              JsonObject status = Http.json(response).getJsonObject("jobStatus", new JsonObject());
              return switch (status.getString("state", "")) {
                case "JOB_STATE_COMPLETED" -> status.getJsonObject("blob") != null ? Poll.done(status.getJsonObject("blob")) : Poll.<JsonObject>processing();
                case "JOB_STATE_FAILED" -> Poll.<JsonObject>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "JOB_STATE_FAILED",
                    "Bluesky's video service could not process the video: " + status.getString("error", status.getString("message", "no reason given"))), null));
                default -> Poll.<JsonObject>processing();
              };
            }),
        videoPollInterval, videoPollTimeout, () -> {
          // still processing: a later attempt waits for the same job (kept), never uploads the video again
          throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, "processing",
              "Bluesky's video service was still processing job " + job + " after " + videoPollTimeout.toSeconds() + " s"), null);
        })
        .map(poll -> {
          if (poll.failure() != null) throw new DefiniteFailure(poll.failure());
          return poll.value();
        });
  }

  /** A token the PDS signs for another service ({@code aud}) and one method ({@code lxm}), valid 30 minutes. */
  private Uni<String> serviceToken(Http.Server pds, Auth auth, String aud, String lxm) {
    String path = "/xrpc/com.atproto.server.getServiceAuth";
    String url = pds.at(path);
    return auth.send(pds.get(http, path).addQueryParam("aud", aud).addQueryParam("lxm", lxm)
            .addQueryParam("exp", String.valueOf(Instant.now().plusSeconds(1800).getEpochSecond())), "GET", url, HttpRequest::send)
        .map(response -> {
          if (response.statusCode() != 200) throw new DefiniteFailure(failure(response));
          return Http.json(response).getString("token");
        });
  }

  /** Handles mentioned in the text, resolved to DIDs; a handle that does not resolve stays plain text. */
  private Uni<Map<String, String>> resolveMentions(Http.Server pds, Auth auth, List<String> texts) {
    Uni<Map<String, String>> chain = Uni.createFrom().item(new HashMap<>());
    java.util.Set<String> mentioned = new java.util.LinkedHashSet<>();
    for (String text : texts) mentioned.addAll(Facets.mentionedHandles(text));
    for (String handle : mentioned) {
      chain = chain.chain(dids -> resolveHandle(pds, auth, handle).map(did -> {
        if (did != null) dids.put(handle, did);
        return dids;
      }));
    }
    return chain;
  }

  /** The DID of a handle ({@code com.atproto.identity.resolveHandle}); null when it cannot be resolved. */
  private Uni<String> resolveHandle(Http.Server pds, Auth auth, String handle) {
    String path = "/xrpc/com.atproto.identity.resolveHandle";
    return auth.send(pds.get(http, path).addQueryParam("handle", handle), "GET", pds.at(path), HttpRequest::send)
        .map(response -> response.statusCode() == 200 ? Http.json(response).getString("did") : null)
        .onFailure().recoverWithNull();
  }

  /**
   * How a request to the PDS is authorized: the OAuth session's DPoP-bound token, with a proof signed by {@code dpop}
   * for this very request (method, URL, the token's hash, the PDS's nonce); or a session's Bearer token.
   */
  record Auth(String token, Es256Key dpop) {
    /**
     * Sends {@code request} authorized. A PDS that wants a (new) DPoP nonce answers 401 use_dpop_nonce with it in
     * DPoP-Nonce: nothing was done, so the request is signed again with that nonce and sent once more.
     */
    Uni<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, String method, String url, Function<HttpRequest<Buffer>, Uni<HttpResponse<Buffer>>> sender) {
      if (dpop == null) return sender.apply(request.putHeader("Authorization", "Bearer " + token));
      return signed(request, method, url, sender).chain(response -> {
        String challenge = response.getHeader("WWW-Authenticate");
        if (response.statusCode() == 401 && challenge != null && challenge.contains("use_dpop_nonce")) return signed(request, method, url, sender);
        return Uni.createFrom().item(response);
      });
    }

    private Uni<HttpResponse<Buffer>> signed(HttpRequest<Buffer> request, String method, String url, Function<HttpRequest<Buffer>, Uni<HttpResponse<Buffer>>> sender) {
      request.putHeader("Authorization", "DPoP " + token).putHeader("DPoP", AtprotoOAuth.dpopProof(dpop, method, url, AtprotoOAuth.nonce(url), token));
      return sender.apply(request).invoke(response -> AtprotoOAuth.rememberNonce(url, response.getHeader("DPoP-Nonce")));
    }
  }

  /**
   * Runs {@code call} authorized. An OAuth account uses its stored token (TokenRefresher keeps it fresh, and a
   * rejected one is refreshed by PublishService). An app-password account uses its cached session; an expired one is
   * refreshed (or the session re-created) once.
   */
  private <T> Uni<T> withSession(Http.Server pds, AccountCredentials account, Function<Auth, Uni<T>> call) {
    if (account.dpopKey() != null) {
      return Uni.createFrom().deferred(() -> call.apply(new Auth(account.accessToken(), Es256Key.fromJwk(account.dpopKey()))))
          // an expired OAuth token is a rejected token like any other: PublishService refreshes it and calls again
          .onFailure(SessionExpired.class).transform(expired -> new DefiniteFailure(ProviderOutcome.failed(
              ProviderErrors.auth(PLATFORM, "ExpiredToken", "the access token has expired"), 401)))
          .onFailure(DefiniteFailure.class).recoverWithUni(failure -> {
            @SuppressWarnings("unchecked")
            T outcome = (T) ((DefiniteFailure) failure).outcome();
            return Uni.createFrom().item(outcome);
          });
    }
    return session(pds, account, false).chain(session -> call.apply(new Auth(session.accessToken(), null)))
        .onFailure(SessionExpired.class).recoverWithUni(expired -> session(pds, account, true).chain(s -> call.apply(new Auth(s.accessToken(), null))))
        .onFailure(DefiniteFailure.class).recoverWithUni(failure -> {
          @SuppressWarnings("unchecked")
          T outcome = (T) ((DefiniteFailure) failure).outcome();
          return Uni.createFrom().item(outcome);
        });
  }

  private Uni<Session> session(Http.Server pds, AccountCredentials account, boolean renew) {
    return sessions.find(account.accountId()).chain(cached -> {
      if (cached != null && cached.fresh() && !renew) return Uni.createFrom().item(cached);
      if (cached != null && cached.refreshToken() != null) {
        return pds.post(http, "/xrpc/com.atproto.server.refreshSession")
            .putHeader("Authorization", "Bearer " + cached.refreshToken()).send()
            .chain(response -> response.statusCode() == 200 ? save(account, response)
                : sessions.forget(account.accountId()).chain(() -> createSession(pds, account)));
      }
      return createSession(pds, account);
    });
  }

  /** The app password (the account's access_token) buys a session; refused means the user must reconnect. */
  private Uni<Session> createSession(Http.Server pds, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(pds.post(http, "/xrpc/com.atproto.server.createSession")
            .sendJsonObject(new JsonObject().put("identifier", account.externalId()).put("password", account.accessToken())), PLATFORM)
        .chain(response -> {
          if (response.statusCode() == 200) return save(account, response);
          ProviderOutcome failed = failure(response);
          throw new DefiniteFailure(failed);
        });
  }

  private Uni<Session> save(AccountCredentials account, HttpResponse<Buffer> response) {
    JsonObject body = Http.json(response);
    String access = body.getString("accessJwt");
    return sessions.save(account.accountId(), new Session(access, body.getString("refreshJwt"), expiry(access)));
  }

  /** The access JWT's own exp claim (the reference PDS gives 120 minutes). */
  static Instant expiry(String jwt) {
    try {
      String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
      return Instant.ofEpochSecond(new JsonObject(payload).getLong("exp"));
    } catch (RuntimeException notAJwt) {
      return Instant.now().plus(Duration.ofMinutes(100));
    }
  }

  /** Maps XRPC errors {"error","message"}; throws for expired sessions and for answers worth retrying. */
  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = Http.json(response);
    String error = body.getString("error", String.valueOf(status));
    String message = body.getString("message", "Bluesky answered " + status);
    if (error.equals("ExpiredToken")) throw new SessionExpired();
    if (status == 429) {
      throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, error, message), status,
          Http.untilEpochSeconds(response.getHeader("RateLimit-Reset")));
    }
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, error, message), status);
    if (status == 401 || error.equals("InvalidToken") || error.equals("AuthenticationRequired") || error.equals("AccountTakedown")) {
      return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, error, message), status);
    }
    if (status == 413 || error.equals("BlobTooLarge")) return ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, error, message), status);
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", error, message), status);
  }

  private static String pds(AccountCredentials account) {
    Object pds = account.platformFields().get("pds_url");
    return pds == null ? "https://bsky.social" : pds.toString();
  }

  private static String atUri(AccountCredentials account, String rkey) {
    return "at://" + account.externalId() + "/" + COLLECTION + "/" + rkey;
  }

  private static String permalink(AccountCredentials account, String rkey) {
    return "https://bsky.app/profile/" + account.externalId() + "/post/" + rkey;
  }
}
