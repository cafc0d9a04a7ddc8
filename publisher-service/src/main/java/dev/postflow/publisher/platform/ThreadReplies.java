package dev.postflow.publisher.platform;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.TargetError;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.contract.PublishRequest;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * A thread ({@code platform_options.<platform>.thread}): the post, then each follow-up as a reply to the one before.
 * Each reply has its own key, fixed per target, as the post has (Bluesky's rkey, Mastodon's Idempotency-Key), so
 * publishing again continues after the replies that are out and never repeats one. The target is published when the
 * whole thread is.
 */
public final class ThreadReplies {
  private ThreadReplies() {}

  /**
   * Publishes one reply: number {@code n} (1-based), its text and media (empty where the platform's replies take
   * none), under {@code parent} (what the platform needs to name the post before).
   */
  public interface Reply<T> {
    Uni<T> publish(int n, String text, List<MediaRef> media, T parent);
  }

  /**
   * The request's thread after its post: each reply published in order under the one before ({@code first} names the
   * post). The post's outcome when every reply is out; a {@link DefiniteFailure} a reply ends in becomes the outcome.
   */
  public static <T> Uni<ProviderOutcome> publish(PublishRequest request, ProviderOutcome post, T first, Reply<T> reply) {
    List<ContentCheck.ThreadPost> thread = ContentCheck.threadPosts(request.platformOptions());
    if (!post.published() || thread.isEmpty()) return Uni.createFrom().item(post);
    Uni<T> chain = Uni.createFrom().item(first);
    for (int i = 0; i < thread.size(); i++) {
      int n = i + 1;
      ContentCheck.ThreadPost next = thread.get(i);
      // the reply's media as posts-api signed them (option media, by id)
      List<MediaRef> media = next.mediaIds().stream().map(id -> request.optionMedia() == null ? null : request.optionMedia().get(id))
          .filter(java.util.Objects::nonNull).toList();
      chain = chain.chain(parent -> reply.publish(n, next.text(), media, parent));
    }
    return chain.replaceWith(post).onFailure(DefiniteFailure.class).recoverWithItem(failure -> {
      ProviderOutcome stopped = ((DefiniteFailure) failure).outcome();
      return stopped.error() == null ? stopped : ProviderOutcome.partlyOut(post, stopped);   // the post is out: say where
    });
  }

  /** A reply refused for good ends the thread: the platform's error, numbered ({@link #stopped}). */
  public static DefiniteFailure refused(ProviderOutcome failed, PublishRequest request, int reply) {
    return new DefiniteFailure(failed.error() == null ? failed : stopped(failed, reply, ContentCheck.thread(request.platformOptions()).size()));
  }

  /** Looking up, a reply sent before that cannot be confirmed: the lookup finds nothing (the target ends unconfirmed). */
  public static DefiniteFailure unconfirmed() {
    return new DefiniteFailure(ProviderOutcome.failed(null, null));
  }

  /**
   * Unpublishing a thread: each reply that went out is deleted, the last first (a platform does not take a post's
   * replies down with it), then the post itself. {@code handles} are the target's; {@code name} the handle of a reply's
   * id ({@code status_id}: reply n is {@code status_id.n}); {@code delete} deletes one by its handle's value.
   */
  public static Uni<ProviderOutcome> unpublish(java.util.Map<String, Object> options, java.util.Map<String, String> handles, String name,
      java.util.function.Function<String, Uni<ProviderOutcome>> delete, Uni<ProviderOutcome> post) {
    Uni<ProviderOutcome> chain = Uni.createFrom().item(ProviderOutcome.removed(200));
    for (int n = ContentCheck.thread(options).size(); n >= 1; n--) {
      String id = handles.get(handle(name, n));
      if (id == null) continue; // never sent
      chain = chain.chain(done -> done.published() ? delete.apply(id) : Uni.createFrom().item(done));
    }
    return chain.chain(done -> done.published() ? post : Uni.createFrom().item(done));
  }

  /** The handle naming reply {@code n} (1-based) of a target's thread, next to the post's own ({@code rkey.2}). */
  public static String handle(String name, int n) {
    return name + "." + n;
  }

  /** A reply refused for good: the platform's error, saying how far the thread got and that a retry continues it. */
  public static ProviderOutcome stopped(ProviderOutcome failed, int reply, int replies) {
    TargetError e = failed.error();
    String message = "the thread stopped at reply " + reply + " of " + replies + " (the post" + (reply > 1 ? " and " + (reply - 1)
        + (reply == 2 ? " reply" : " replies") : "") + " are published; a retry continues after them): " + e.message();
    return ProviderOutcome.failed(new TargetError(e.code(), e.category(), message, e.retryable(), e.providerCode(), e.action()), failed.httpStatus());
  }
}
