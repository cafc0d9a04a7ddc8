package dev.postflow.publisher.platform;

import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.ledger.TargetHandles;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A post's first comment ({@code platform_options.<platform>.first_comment}), added under the post as soon as it is out.
 * Peers offer it for hashtags and links kept out of the caption. Comments have no idempotency key, so the comment's id
 * is kept once it is out, and a comment sent before without a known answer is looked for among the post's comments
 * (same text) before it is sent again; looking up after a lost answer, one that is not there cannot be confirmed. The
 * target is published when its comment is; a refused comment fails it, saying the post is out and a retry adds the
 * comment. Each platform says how to comment ({@link Api}).
 */
@ApplicationScoped
public class FirstComments {
  public static final String OPTION = "first_comment";

  @Inject TargetHandles handles;

  /** A comment read back: its id and text. */
  public record Comment(String id, String text) {}

  /** How a platform comments on a post. */
  public interface Api {
    /** Posts the comment; its id, or throws a {@link DefiniteFailure} with the platform's refusal (or an exception to retry). */
    Uni<String> send(String postId, String text);

    /** The post's comments, newest first. */
    Uni<List<Comment>> list(String postId);
  }

  /** The comment asked for, or null. */
  public static String of(PublishRequest request) {
    Object comment = request.platformOptions() == null ? null : request.platformOptions().get(OPTION);
    return comment == null || comment.toString().isBlank() ? null : comment.toString();
  }

  /** The post's outcome once its first comment is out. */
  public Uni<ProviderOutcome> add(String platform, Api api, PublishRequest request, ProviderOutcome post, boolean lookingUp) {
    String comment = of(request);
    if (comment == null || !post.published()) return Uni.createFrom().item(post);
    if (post.platformPostId() == null) {
      return Uni.createFrom().item(refused(post, ProviderOutcome.failed(ProviderErrors.providerError(platform, "no_media_id",
          "the post's id is unknown, so nothing can be commented"), null)));
    }
    String target = request.targetId();
    return handles.all(target).chain(kept -> {
      if (kept.get("comment_id") != null) return Uni.createFrom().item(post);
      String sentAt = kept.get("comment_sent_at");
      Uni<Optional<String>> earlier = sentAt == null ? Uni.createFrom().item(Optional.<String>empty())
          : api.list(post.platformPostId()).map(comments -> comments.stream()
              .filter(c -> comment.strip().equals(c.text() == null ? "" : c.text().strip())).map(Comment::id).findFirst());
      return earlier.chain(found -> {
        if (found.isPresent()) return handles.put(target, "comment_id", found.get()).replaceWith(post);
        if (lookingUp && sentAt != null) return Uni.createFrom().item(ProviderOutcome.failed(null, null)); // cannot be confirmed
        return handles.getOrCreate(target, "comment_sent_at", () -> Instant.now().toString())
            .chain(() -> api.send(post.platformPostId(), comment))
            .chain(id -> handles.put(target, "comment_id", id).replaceWith(post))
            .onFailure(DefiniteFailure.class).recoverWithItem(failure -> refused(post, ((DefiniteFailure) failure).outcome()));
      });
    });
  }

  /** A refused comment: the platform's error, saying the post is out (naming it) and a retry adds the comment. */
  private static ProviderOutcome refused(ProviderOutcome post, ProviderOutcome failed) {
    return ProviderOutcome.partlyOut(post, failed, "the post is published, but its first comment was refused (a retry adds the comment, not the post)", null);
  }
}
