package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.TargetError;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;

/**
 * A post's first comment ({@code platform_options.<instagram|facebook>.first_comment}), added under the post as soon as
 * it is out, with the Graph API's {@code POST /{object-id}/comments} ({@code message}). Peers offer it for hashtags and
 * links kept out of the caption. Graph comments have no idempotency key, so the comment's id is kept once it is out, and
 * a comment sent before without a known answer is looked for among the post's comments (same text) before it is sent
 * again; looking up after a lost answer, one that is not there cannot be confirmed. The target is published when its
 * comment is; a refused comment fails it, saying the post is out and a retry adds the comment.
 */
@ApplicationScoped
public class FirstComments {
  public static final String OPTION = "first_comment";

  @Inject WebClient http;
  @Inject TargetHandles handles;

  /** The comment asked for, or null. */
  static String of(PublishRequest request) {
    Object comment = request.platformOptions() == null ? null : request.platformOptions().get(OPTION);
    return comment == null || comment.toString().isBlank() ? null : comment.toString();
  }

  /**
   * The post's outcome once its first comment is out ({@code readField}: how the platform names a comment's text when
   * read back: Instagram {@code text}, Facebook {@code message}).
   */
  Uni<ProviderOutcome> add(String platform, String baseUrl, String readField, PublishRequest request, AccountCredentials account,
      ProviderOutcome post, boolean lookingUp) {
    String comment = of(request);
    if (comment == null || !post.published()) return Uni.createFrom().item(post);
    if (post.platformPostId() == null) {
      return Uni.createFrom().item(refused(platform, ProviderOutcome.failed(ProviderErrors.providerError(platform, "no_media_id",
          "the post's id is unknown, so nothing can be commented"), null)));
    }
    String target = request.targetId();
    return handles.all(target).chain(kept -> {
      if (kept.get("comment_id") != null) return Uni.createFrom().item(post);
      String sentAt = kept.get("comment_sent_at");
      Uni<Optional<String>> earlier = sentAt == null ? Uni.createFrom().item(Optional.<String>empty())
          : find(baseUrl, readField, account, post.platformPostId(), comment);
      return earlier.chain(found -> {
        if (found.isPresent()) return handles.put(target, "comment_id", found.get()).replaceWith(post);
        if (lookingUp && sentAt != null) return Uni.createFrom().item(ProviderOutcome.failed(null, null)); // cannot be confirmed
        return handles.getOrCreate(target, "comment_sent_at", () -> Instant.now().toString())
            .chain(() -> Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/" + post.platformPostId() + "/comments")
                .putHeader("Authorization", "Bearer " + account.accessToken())
                .sendMultipartForm(MultipartForm.create().attribute("message", comment)), platform))
            .chain(response -> {
              if (response.statusCode() != 200) return Uni.createFrom().item(refused(platform, MetaErrors.failure(platform, response)));
              return handles.put(target, "comment_id", Http.json(response).getString("id")).replaceWith(post);
            });
      });
    });
  }

  /** The id of the post's comment with this text. */
  private Uni<Optional<String>> find(String baseUrl, String readField, AccountCredentials account, String postId, String comment) {
    return http.getAbs(baseUrl + "/" + postId + "/comments").addQueryParam("fields", "id," + readField + ",timestamp")
        .addQueryParam("limit", "100").putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("the post's comments answered " + response.statusCode());
          }
          JsonArray comments = Http.json(response).getJsonArray("data", new JsonArray());
          for (int i = 0; i < comments.size(); i++) {
            JsonObject item = comments.getJsonObject(i);
            if (comment.strip().equals(item.getString(readField, "").strip())) return Optional.of(item.getString("id"));
          }
          return Optional.<String>empty();
        });
  }

  /** A refused comment: the platform's error, saying the post is out and a retry adds the comment. */
  private static ProviderOutcome refused(String platform, ProviderOutcome failed) {
    TargetError e = failed.error();
    return ProviderOutcome.failed(new TargetError(e.code(), e.category(), "the post is published, but its first comment was refused (a retry"
        + " adds the comment, not the post): " + e.message(), e.retryable(), e.providerCode(), e.action()), failed.httpStatus());
  }
}
