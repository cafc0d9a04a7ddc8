package dev.postflow.posts.messaging;

import dev.postflow.contract.PostDue;
import dev.postflow.contract.PublishResult;
import dev.postflow.posts.post.PostLifecycle;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Due hand-overs from the scheduler and results from the publishers. Both are applied with state checks in
 * {@link PostLifecycle}, so a message that arrives twice changes nothing the second time. A message that keeps
 * failing (database down) is retried with backoff and then parked on the dead-letter topic.
 */
@ApplicationScoped
public class LifecycleConsumers {
  @Inject PostLifecycle lifecycle;
  @Inject OutboxRelay relay;

  @Incoming("posts-due")
  public Uni<Void> onDue(PostDue due) {
    if (due == null) {
      Log.warn("an unreadable message on the posts-due topic was skipped");
      return Uni.createFrom().voidItem();
    }
    Log.debugf("due %s v%d received", due.postId(), due.scheduleVersion());
    return withRetry(Uni.createFrom().deferred(() -> lifecycle.onDue(due))).invoke(relay::wake).replaceWithVoid();
  }

  @Incoming("publish-results")
  public Uni<Void> onResult(PublishResult result) {
    if (result == null) {
      Log.warn("an unreadable message on the publish-results topic was skipped");
      return Uni.createFrom().voidItem();
    }
    return withRetry(Uni.createFrom().deferred(() -> lifecycle.onResult(result))).invoke(relay::wake).replaceWithVoid();
  }

  private static <T> Uni<T> withRetry(Uni<T> work) {
    return work.onFailure().invoke(e -> Log.warnf("applying a message failed, retrying: %s", e.toString()))
        .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(12);
  }
}
