package dev.postflow.posts.messaging;

import dev.postflow.contract.PostDue;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.StorageRetry;
import dev.postflow.posts.post.PostLifecycle;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Due hand-overs from the scheduler and results from the publishers. Both are applied with state checks in
 * {@link PostLifecycle}, so a message that arrives twice changes nothing the second time. A batch the database did
 * not take is retried with backoff: until it is back (however long the outage), or {@link StorageRetry#TRIES} times
 * when the database refuses its data, which then goes to the dead-letter topic ({@link StorageRetry}).
 */
@ApplicationScoped
public class LifecycleConsumers {
  @Inject PostLifecycle lifecycle;
  @Inject OutboxRelay relay;

  @ConfigProperty(name = "postflow.consumers.max-backoff")
  Duration maxBackoff;

  /** Hand-overs arrive in batches (up to max.poll.records); one transaction claims them all. */
  @Incoming("posts-due")
  public Uni<Void> onDue(List<PostDue> batch) {
    List<PostDue> due = batch.stream().filter(d -> d != null && d.postId() != null).toList();
    if (due.size() < batch.size()) Log.warnf("%d unreadable messages on the posts-due topic were skipped", batch.size() - due.size());
    if (due.isEmpty()) return Uni.createFrom().voidItem();
    return withRetry(Uni.createFrom().deferred(() -> lifecycle.onDue(due)))
        .invoke(claimed -> Log.debugf("%d due hand-overs received, %d posts claimed", due.size(), claimed))
        .invoke(relay::wakeNow).replaceWithVoid();
  }

  @Incoming("publish-results")
  public Uni<Void> onResults(List<PublishResult> batch) {
    List<PublishResult> results = batch.stream().filter(r -> r != null && r.postId() != null).toList();
    if (results.size() < batch.size()) Log.warnf("%d unreadable messages on the publish-results topic were skipped", batch.size() - results.size());
    if (results.isEmpty()) return Uni.createFrom().voidItem();
    return withRetry(Uni.createFrom().deferred(() -> lifecycle.onResults(results))).invoke(relay::wake).replaceWithVoid();
  }

  private <T> Uni<T> withRetry(Uni<T> work) {
    return StorageRetry.retrying(work.onFailure().invoke(e -> Log.warnf("applying a batch failed, retrying: %s", e.toString())), maxBackoff);
  }
}
