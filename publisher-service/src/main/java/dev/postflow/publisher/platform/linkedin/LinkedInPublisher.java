package dev.postflow.publisher.platform.linkedin;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.DefiniteFailure;
import dev.postflow.publisher.platform.FirstComments;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.Polling;
import dev.postflow.publisher.platform.Polling.Poll;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * LinkedIn Posts API (docs/platforms §5) with {@code LinkedIn-Version} and Rest.li 2.0 headers: images registered with
 * {@code /rest/images?action=initializeUpload} and PUT to the upload URL; one video through initializeUpload, part
 * uploads (ETags) and finalizeUpload, polled until AVAILABLE; a document (PDF, PowerPoint, Word) through
 * {@code /rest/documents?action=initializeUpload}, PUT, polled likewise, posted with its title; then {@code POST /rest/posts} whose commentary is
 * escaped in the "little" format. The post's URN comes back in {@code x-restli-id}. A 422 DUPLICATE_POST names the
 * existing post's URN: that post is reported instead of a failure; a lost answer is looked for among the author's posts.
 * A first comment goes under the post as soon as it is out ({@link FirstComments}).
 */
@ApplicationScoped
public class LinkedInPublisher implements PlatformPublisher {
  static final String PLATFORM = "linkedin";
  private static final Pattern URN = Pattern.compile("urn:li:(?:share|ugcPost):\\d+");

  @Inject WebClient http;
  @Inject TargetHandles handles;
  @Inject FirstComments firstComments;

  @ConfigProperty(name = "postflow.platforms.linkedin.base-url", defaultValue = "https://api.linkedin.com")
  String baseUrl;

  /** LinkedIn sunsets versions about yearly: keep this current. */
  @ConfigProperty(name = "postflow.platforms.linkedin.version", defaultValue = "202601")
  String version;

  @ConfigProperty(name = "postflow.platforms.linkedin.poll-interval", defaultValue = "PT5S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.linkedin.poll-timeout", defaultValue = "PT10M")
  Duration pollTimeout;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("linkedin-publish")
  @Timeout(value = 12, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return postOnce(request, account).chain(post -> firstComments.add(PLATFORM, comments(account), request, post, false));
  }

  /**
   * With a first comment, the post's URN is kept once it is out, so a retry after a refused comment adds the comment
   * and never posts again (LinkedIn's own DUPLICATE_POST check is a second guard, not the first).
   */
  private Uni<ProviderOutcome> postOnce(PublishRequest request, AccountCredentials account) {
    if (FirstComments.of(request) == null) return post(request, account);
    return handles.get(request.targetId(), "post_urn").chain(urn -> urn != null ? Uni.createFrom().item(published(urn, 200))
        : post(request, account).call(outcome -> outcome.published() ? handles.put(request.targetId(), "post_urn", outcome.platformPostId())
            : Uni.createFrom().voidItem()));
  }

  private static ProviderOutcome published(String urn, int status) {
    return ProviderOutcome.published(urn, "https://www.linkedin.com/feed/update/" + urn, status);
  }

  /**
   * A first comment ({@code POST /rest/socialActions/{post}/comments} with the author as actor), read back with {@code
   * GET} on the same resource. Reading comments needs the member's or organization's read permission
   * (r_member_social, r_organization_social); without it a comment whose answer was lost cannot be found, and the
   * target ends unconfirmed rather than commented twice.
   */
  private FirstComments.Api comments(AccountCredentials account) {
    return new FirstComments.Api() {
      @Override
      public Uni<String> send(String postUrn, String text) {
        JsonObject comment = new JsonObject().put("actor", author(account)).put("object", postUrn).put("message", new JsonObject().put("text", text));
        return Http.connectFailuresAreRetryable(headers(http.postAbs(commentsUrl(postUrn)), account).sendJsonObject(comment), PLATFORM)
            .map(response -> {
              if (response.statusCode() != 201 && response.statusCode() != 200) throw new DefiniteFailure(failure(response));
              String id = response.getHeader("x-restli-id");
              return id != null ? id : Http.json(response).getString("id");
            });
      }

      @Override
      public Uni<List<FirstComments.Comment>> list(String postUrn) {
        return headers(http.getAbs(commentsUrl(postUrn)), account).send().map(response -> {
          if (response.statusCode() != 200) {
            failure(response); // throws for 429 and 5xx
            throw new IllegalStateException("LinkedIn answered " + response.statusCode() + " when asked for the post's comments");
          }
          List<FirstComments.Comment> found = new ArrayList<>();
          JsonArray elements = Http.json(response).getJsonArray("elements", new JsonArray());
          for (int i = 0; i < elements.size(); i++) {
            JsonObject comment = elements.getJsonObject(i);
            if (!author(account).equals(comment.getString("actor"))) continue;
            found.add(new FirstComments.Comment(comment.getString("id"), comment.getJsonObject("message", new JsonObject()).getString("text")));
          }
          return found;
        });
      }
    };
  }

  private String commentsUrl(String postUrn) {
    return baseUrl + "/rest/socialActions/" + URLEncoder.encode(postUrn, StandardCharsets.UTF_8) + "/comments";
  }

  private Uni<ProviderOutcome> post(PublishRequest request, AccountCredentials account) {
    String author = author(account);
    return uploadAll(request, account, author).chain(media -> linkCard(request, account, author).chain(card -> {
      if (media.failure() != null) return Uni.createFrom().item(media.failure());
      if (card.failure() != null) return Uni.createFrom().item(card.failure());
      JsonObject post = new JsonObject()
          .put("author", author)
          .put("commentary", LittleText.escape(request.text()))
          .put("visibility", option(request, "visibility", "PUBLIC"))
          .put("distribution", new JsonObject().put("feedDistribution", "MAIN_FEED").put("targetEntities", new JsonArray())
              .put("thirdPartyDistributionChannels", new JsonArray()))
          .put("lifecycleState", "PUBLISHED")
          .put("isReshareDisabledByAuthor", false);
      List<MediaRef> refs = request.mediaOrEmpty();
      if (media.urns().size() == 1) {
        JsonObject one = new JsonObject().put("id", media.urns().get(0));
        if (refs.get(0).isDocument()) one.put("title", option(request, PlatformRules.DOCUMENT_TITLE, ""));
        else if (refs.get(0).altText() != null) one.put("altText", refs.get(0).altText());
        post.put("content", new JsonObject().put("media", one));
      } else if (media.urns().size() > 1) {
        JsonArray images = new JsonArray();
        for (int i = 0; i < media.urns().size(); i++) {
          JsonObject image = new JsonObject().put("id", media.urns().get(i));
          if (refs.get(i).altText() != null) image.put("altText", refs.get(i).altText());
          images.add(image);
        }
        post.put("content", new JsonObject().put("multiImage", new JsonObject().put("images", images)));
      } else if (card.value() != null) {
        post.put("content", new JsonObject().put("article", card.value()));
      }
      return Http.connectFailuresAreRetryable(headers(http.postAbs(baseUrl + "/rest/posts"), account).sendJsonObject(post), PLATFORM)
          .map(response -> {
            if (response.statusCode() == 201) {
              String urn = response.getHeader("x-restli-id");
              return ProviderOutcome.published(urn, "https://www.linkedin.com/feed/update/" + urn, 201);
            }
            String existing = duplicateOf(response);
            if (existing != null) return ProviderOutcome.published(existing, "https://www.linkedin.com/feed/update/" + existing, 422);
            return failure(response);
          });
    }));
  }

  /**
   * The link card ({@code platform_options.linkedin.link}): {@code content.article} with the source, the title and
   * description given (LinkedIn does not read the page), and the card's image uploaded like a post's image. Null when
   * the post has no link.
   */
  private Uni<Poll<JsonObject>> linkCard(PublishRequest request, AccountCredentials account, String author) {
    Object link = request.platformOptions() == null ? null : request.platformOptions().get("link");
    if (link == null) return Uni.createFrom().item(Poll.done(null));
    JsonObject article = new JsonObject().put("source", link.toString()).put("title", option(request, "link_title", ""));
    Object description = request.platformOptions().get("link_description");
    if (description != null) article.put("description", description.toString());
    MediaRef image = request.mediaNamedBy(PlatformRules.LINK_THUMBNAIL);
    if (image == null) return Uni.createFrom().item(Poll.done(article));
    return Http.download(http, image, PLATFORM).chain(bytes -> registerAndPut("images", "image", image.mimeType(), bytes, account, author))
        .map(put -> put.failure() != null ? Poll.<JsonObject>failed(put.failure()) : Poll.done(article.put("thumbnail", put.value())));
  }

  /** The author's recent posts with this commentary (Find Posts by Author). */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return handles.get(request.targetId(), "post_urn")
        .chain(urn -> urn != null ? Uni.createFrom().item(Optional.of(published(urn, 200))) : findOwnPost(request, account))
        .chain(found -> found.isEmpty() ? Uni.createFrom().item(found)
            : firstComments.add(PLATFORM, comments(account), request, found.get(), true)
                .map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty()));
  }

  private Uni<Optional<ProviderOutcome>> findOwnPost(PublishRequest request, AccountCredentials account) {
    return headers(http.getAbs(baseUrl + "/rest/posts"), account)
        .addQueryParam("author", author(account)).addQueryParam("q", "author").addQueryParam("count", "50")
        .send()
        .map(response -> {
          if (response.statusCode() != 200) {
            failure(response);
            throw new IllegalStateException("LinkedIn answered " + response.statusCode() + " to the posts lookup");
          }
          String wanted = request.text() == null ? "" : request.text();
          JsonArray posts = Http.json(response).getJsonArray("elements", new JsonArray());
          for (int i = 0; i < posts.size(); i++) {
            JsonObject post = posts.getJsonObject(i);
            if (LittleText.unescape(post.getString("commentary", "")).equals(wanted)) {
              String urn = post.getString("id");
              return Optional.of(ProviderOutcome.published(urn, "https://www.linkedin.com/feed/update/" + urn, 200));
            }
          }
          return Optional.<ProviderOutcome>empty();
        });
  }

  private record Uploaded(List<String> urns, ProviderOutcome failure) {}

  private Uni<Uploaded> uploadAll(PublishRequest request, AccountCredentials account, String author) {
    Uni<Uploaded> chain = Uni.createFrom().item(new Uploaded(new ArrayList<>(), null));
    for (MediaRef media : request.mediaOrEmpty()) {
      chain = chain.chain(sofar -> {
        if (sofar.failure() != null) return Uni.createFrom().item(sofar);
        return Http.download(http, media, PLATFORM)
            .chain(bytes -> media.isVideo() ? uploadVideo(bytes, account, author)
                : media.isDocument() ? uploadDocument(bytes, account, author) : uploadImage(bytes, media, account, author))
            .map(poll -> {
              if (poll.failure() != null) return new Uploaded(sofar.urns(), poll.failure());
              sofar.urns().add(poll.value());
              return sofar;
            });
      });
    }
    return chain;
  }

  private Uni<Poll<String>> uploadImage(Buffer bytes, MediaRef media, AccountCredentials account, String author) {
    return registerAndPut("images", "image", media.mimeType(), bytes, account, author);
  }

  /** A document (PDF, PowerPoint, Word): registered, PUT to its upload URL, then polled until LinkedIn has made its pages AVAILABLE. */
  private Uni<Poll<String>> uploadDocument(Buffer bytes, AccountCredentials account, String author) {
    return registerAndPut("documents", "document", "application/octet-stream", bytes, account, author)
        .chain(put -> put.failure() != null ? Uni.createFrom().item(put) : untilAvailable("documents", "document", put.value(), account));
  }

  /** One file registered with {@code /rest/{resource}?action=initializeUpload} and its bytes PUT to the upload URL: its URN. */
  private Uni<Poll<String>> registerAndPut(String resource, String urnField, String contentType, Buffer bytes, AccountCredentials account,
      String author) {
    JsonObject init = new JsonObject().put("initializeUploadRequest", new JsonObject().put("owner", author));
    return Http.connectFailuresAreRetryable(headers(http.postAbs(baseUrl + "/rest/" + resource + "?action=initializeUpload"), account)
            .sendJsonObject(init), PLATFORM)
        .chain(response -> {
          if (response.statusCode() / 100 != 2) return Uni.createFrom().item(Poll.<String>failed(failure(response)));
          JsonObject value = Http.json(response).getJsonObject("value", new JsonObject());
          String urn = value.getString(urnField);
          return http.putAbs(value.getString("uploadUrl")).putHeader("Authorization", "Bearer " + account.accessToken())
              .putHeader("Content-Type", contentType).sendBuffer(bytes)
              .map(put -> put.statusCode() / 100 == 2 ? Poll.done(urn) : Poll.<String>failed(failure(put)));
        });
  }

  private Uni<Poll<String>> uploadVideo(Buffer bytes, AccountCredentials account, String author) {
    JsonObject init = new JsonObject().put("initializeUploadRequest", new JsonObject().put("owner", author)
        .put("fileSizeBytes", bytes.length()).put("uploadCaptions", false).put("uploadThumbnail", false));
    return Http.connectFailuresAreRetryable(headers(http.postAbs(baseUrl + "/rest/videos?action=initializeUpload"), account)
            .sendJsonObject(init), PLATFORM)
        .chain(response -> {
          if (response.statusCode() / 100 != 2) return Uni.createFrom().item(Poll.<String>failed(failure(response)));
          JsonObject value = Http.json(response).getJsonObject("value", new JsonObject());
          String urn = value.getString("video");
          JsonArray parts = value.getJsonArray("uploadInstructions", new JsonArray());
          Uni<List<String>> etags = Uni.createFrom().item(new ArrayList<>());
          for (int i = 0; i < parts.size(); i++) {
            JsonObject part = parts.getJsonObject(i);
            Buffer piece = bytes.getBuffer(part.getLong("firstByte").intValue(), part.getLong("lastByte").intValue() + 1);
            etags = etags.chain(list -> http.putAbs(part.getString("uploadUrl")).putHeader("Content-Type", "application/octet-stream")
                .sendBuffer(piece).map(put -> {
                  if (put.statusCode() / 100 != 2) failure(put);
                  list.add(put.getHeader("ETag"));
                  return list;
                }));
          }
          return etags.chain(list -> headers(http.postAbs(baseUrl + "/rest/videos?action=finalizeUpload"), account)
                  .sendJsonObject(new JsonObject().put("finalizeUploadRequest", new JsonObject().put("video", urn)
                      .put("uploadToken", value.getString("uploadToken", "")).put("uploadedPartIds", new JsonArray(list)))))
              .chain(finalized -> finalized.statusCode() / 100 != 2 ? Uni.createFrom().item(Poll.<String>failed(failure(finalized)))
                  : untilAvailable("videos", "video", urn, account));
        });
  }

  /** Polls {@code GET /rest/{resource}/{urn}} until the upload is AVAILABLE; PROCESSING_FAILED is the media's rejection. */
  private Uni<Poll<String>> untilAvailable(String resource, String what, String urn, AccountCredentials account) {
    return Polling.until(() -> headers(http.getAbs(baseUrl + "/rest/" + resource + "/" + URLEncoder.encode(urn, StandardCharsets.UTF_8)), account)
            .send().map(status -> {
              if (status.statusCode() != 200) return Poll.<String>failed(failure(status));
              return switch (Http.json(status).getString("status", "")) {
                case "AVAILABLE" -> Poll.done(urn);
                case "PROCESSING_FAILED" -> Poll.<String>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM,
                    "PROCESSING_FAILED", "LinkedIn could not process the " + what + ("document".equals(what)
                    ? " (LinkedIn takes PDFs of at most 100 MB and 300 pages that open without a password)" : "")), null));
                default -> Poll.<String>processing();
              };
            }),
        pollInterval, pollTimeout, () -> Poll.failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(PLATFORM, "PROCESSING",
            "LinkedIn was still processing the " + what + " after " + pollTimeout.toMinutes() + " min"), null)));
  }

  /** {@code DELETE /rest/posts/{URN}} (204; 404 is gone already). Its comments, a first comment too, go with it. */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(headers(http.deleteAbs(baseUrl + "/rest/posts/" + URLEncoder.encode(request.platformPostId(),
        StandardCharsets.UTF_8)), account).send(), PLATFORM).map(response -> Http.removed(response, LinkedInPublisher::failure));
  }

  /**
   * {@code POST /rest/posts/{urn}} with {@code X-RestLi-Method: PARTIAL_UPDATE} and {@code {"patch": {"$set":
   * {"commentary": …}}}} (the text escaped as LinkedIn's "little" format wants it); answered 204.
   */
  @Override
  public Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    JsonObject patch = new JsonObject().put("patch", new JsonObject().put("$set", new JsonObject().put("commentary", LittleText.escape(request.text()))));
    return Http.connectFailuresAreRetryable(headers(http.postAbs(baseUrl + "/rest/posts/" + URLEncoder.encode(request.platformPostId(),
            StandardCharsets.UTF_8)), account).putHeader("X-RestLi-Method", "PARTIAL_UPDATE").sendJsonObject(patch), PLATFORM)
        .map(response -> Http.changed(response, PLATFORM, LinkedInPublisher::failure));
  }

  private HttpRequest<Buffer> headers(HttpRequest<Buffer> request, AccountCredentials account) {
    return request.putHeader("Authorization", "Bearer " + account.accessToken())
        .putHeader("LinkedIn-Version", version)
        .putHeader("X-Restli-Protocol-Version", "2.0.0");
  }

  private static String author(AccountCredentials account) {
    String id = account.externalId();
    return id.startsWith("urn:") ? id : "urn:li:person:" + id;
  }

  private static String option(PublishRequest request, String name, String fallback) {
    Object value = request.platformOptions() == null ? null : request.platformOptions().get(name);
    return value == null ? fallback : value.toString();
  }

  /** 422 DUPLICATE_POST: "Content is a duplicate of urn:li:share:…": the URN of the post that exists. */
  private static String duplicateOf(HttpResponse<Buffer> response) {
    if (response.statusCode() != 422) return null;
    String body = response.bodyAsString();
    if (body == null || !body.contains("DUPLICATE_POST")) return null;
    Matcher urn = URN.matcher(Http.json(response).getString("message", ""));
    return urn.find() ? urn.group() : null;
  }

  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = Http.json(response);
    String code = body.getString("code", body.containsKey("serviceErrorCode") ? String.valueOf(body.getValue("serviceErrorCode")) : String.valueOf(status));
    String message = body.getString("message", "LinkedIn answered " + status);
    if (status == 429) throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, code, message), status, null);
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, code, message), status);
    if (status == 401) return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, code, message), status);
    if (status == 403) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, code, message), status);
    if (status == 426) {
      return ProviderOutcome.failed(ProviderErrors.system("LinkedIn-Version is no longer served: update postflow.platforms.linkedin.version"), status);
    }
    if (status == 422 && body.encode().contains("DUPLICATE_POST")) {
      return ProviderOutcome.failed(ProviderErrors.duplicate(PLATFORM, "DUPLICATE_POST", message), status);
    }
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", code, message), status);
  }
}
