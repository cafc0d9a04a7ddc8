package dev.postflow.publisher.messaging;

import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.StorageRetry;
import dev.postflow.contract.UnpublishRequest;
import dev.postflow.publisher.publish.PublishService;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes publish requests and sends each result back to posts-api. The request's offset is committed only after
 * the broker acknowledged the result, so a crash in between redelivers the request and the ledger answers it.
 */
@ApplicationScoped
public class PublishRequestConsumer {
  @Inject PublishService publishService;
  @Inject dev.postflow.publisher.publish.UnpublishService unpublishService;
  @Inject dev.postflow.publisher.publish.EditService editService;
  @Inject dev.postflow.publisher.platform.Platforms platforms;
  @Inject ResultMetrics metrics;

  /**
   * Split deployments: when true, requests for platforms switched off here are left to the deployment that has them
   * (each deployment consumes with its own group.id, see application.properties). When false (one deployment for
   * everything), such a request fails with platform_not_supported, so nothing waits for a publisher that never comes.
   */
  @ConfigProperty(name = "postflow.publisher.only-own-platforms", defaultValue = "false")
  boolean onlyOwnPlatforms;

  /** First wait before a request whose platform was temporarily unavailable is taken again (doubles up to 30 s). */
  @ConfigProperty(name = "postflow.publisher.retry-backoff", defaultValue = "PT1S")
  Duration retryBackoff;

  @ConfigProperty(name = "postflow.consumers.max-backoff")
  Duration maxBackoff;

  @Inject
  @Channel("publish-results")
  MutinyEmitter<PublishResult> results;

  @Inject @Identifier("publisher-assignments") AssignedPartitions assignments;

  /** At most this many requests are taken in and not yet finished; beyond it, consumption waits. */
  @ConfigProperty(name = "postflow.publisher.max-in-flight", defaultValue = "5000")
  int maxInFlight;

  private final AccountLanes lanes = new AccountLanes();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile CompletableFuture<Void> room = CompletableFuture.completedFuture(null);

  /**
   * Requests arrive in batches and go to their account's lane: one account's requests are published one after the
   * other, in order; different accounts in parallel, and the next batch is taken while lanes are still busy (a slow
   * account never holds up the others). A batch is acknowledged, so its offsets committed, when every one of its
   * results was acknowledged by the broker; a crash before that redelivers it, and the ledger answers again.
   */
  @Incoming("publish-requests")
  public Uni<Void> onPublishRequests(Message<List<PublishRequest>> batch) {
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (PublishRequest request : batch.getPayload()) {
      if (request == null || request.requestId() == null) {
        Log.warn("an unreadable publish request was skipped");
        continue;
      }
      if (onlyOwnPlatforms && platforms.get(request.platform()) == null) {
        continue; // another deployment (its own consumer group) publishes this platform
      }
      work.add(lanes.submit(request.accountId(), () -> publishOne(request)));
    }
    return inLanes(batch, work);
  }

  /**
   * Unpublish requests go to the same account lanes as publishes (one account's calls stay in order, and the same
   * in-flight bound applies); acknowledged, like publishes, once every result was acknowledged by the broker.
   */
  @Incoming("unpublish-requests")
  public Uni<Void> onUnpublishRequests(Message<List<UnpublishRequest>> batch) {
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (UnpublishRequest request : batch.getPayload()) {
      if (request == null || request.requestId() == null) {
        Log.warn("an unreadable unpublish request was skipped");
        continue;
      }
      if (onlyOwnPlatforms && platforms.get(request.platform()) == null) continue;
      work.add(lanes.submit(request.accountId(), () -> unpublishOne(request)));
    }
    return inLanes(batch, work);
  }

  /** Edit requests, like unpublish requests, go to the account lanes and are acknowledged once answered. */
  @Incoming("edit-requests")
  public Uni<Void> onEditRequests(Message<List<dev.postflow.contract.EditRequest>> batch) {
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (dev.postflow.contract.EditRequest request : batch.getPayload()) {
      if (request == null || request.requestId() == null) {
        Log.warn("an unreadable edit request was skipped");
        continue;
      }
      if (onlyOwnPlatforms && platforms.get(request.platform()) == null) continue;
      work.add(lanes.submit(request.accountId(), () -> editOne(request)));
    }
    return inLanes(batch, work);
  }

  /**
   * Acknowledges (or fails) the batch once all its work is done, unless its partitions were revoked in the meantime:
   * then its requests were delivered again, and that delivery answers for them (see AssignedPartitions).
   */
  private Uni<Void> inLanes(Message<?> batch, List<CompletableFuture<Void>> work) {
    int size = work.size();
    if (inFlight.addAndGet(size) >= maxInFlight) roomNeeded();
    IncomingKafkaRecordBatchMetadata<?, ?> polled = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class).orElse(null);
    CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
      if (inFlight.addAndGet(-size) < maxInFlight) room.complete(null);
      if (polled != null && !assignments.stillHeld(polled)) {
        Log.infof("a batch of %d requests finished after its partitions were reassigned: left to their second delivery", size);
      } else if (failure == null) {
        batch.ack();
      } else {
        batch.nack(failure);
      }
    });
    return Uni.createFrom().completionStage(room);
  }

  /** Takes one target down and sends its result; a delete that got no definite answer is tried again (UnpublishService). */
  private Uni<Void> unpublishOne(UnpublishRequest request) {
    java.time.Instant firstTried = java.time.Instant.now();
    return answered(request.requestId(), request.platform(), "unpublish", () -> unpublishService.unpublish(request, firstTried));
  }

  /** Edits one target's text and sends its result; an edit that got no definite answer is tried again (EditService). */
  private Uni<Void> editOne(dev.postflow.contract.EditRequest request) {
    java.time.Instant firstTried = java.time.Instant.now();
    return answered(request.requestId(), request.platform(), "edit", () -> editService.edit(request, firstTried));
  }

  private Uni<Void> send(PublishResult result) {
    return results.sendMessage(Message.of(result).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.postId()).build()))
        .ifNoItem().after(Duration.ofSeconds(60)).fail();
  }

  private synchronized void roomNeeded() {
    if (room.isDone()) room = new CompletableFuture<>();
    if (inFlight.get() < maxInFlight) room.complete(null);
  }

  /**
   * Publishes one request and sends its result. Every step has a deadline; the whole step is retried, which is safe:
   * the ledger answers a finished request with its stored result and reconciles one that is in doubt.
   */
  private Uni<Void> publishOne(PublishRequest request) {
    Log.debugf("publish request %s received", request.requestId());
    return answered(request.requestId(), request.platform(), "publish", () -> publishService.publish(request));
  }

  /**
   * Runs {@code work} until it has a result (taken again after each RetryLater, with backoff) and sends the result.
   * The ledger or the broker unreachable: wait for it, however long (a dead-lettered request would leave its target
   * publishing for ever). Only a request whose data the database refuses is given up after StorageRetry.TRIES.
   */
  private Uni<Void> answered(String requestId, String platform, String kind, java.util.function.Supplier<Uni<PublishResult>> work) {
    Uni<Void> step = Uni.createFrom().deferred(() -> work.get()
            .onFailure(PublishService.RetryLater.class).invoke(e -> Log.infof("%s", e.getMessage()))
            .onFailure(PublishService.RetryLater.class).retry().withBackOff(retryBackoff, Duration.ofSeconds(30)).withJitter(0.2).indefinitely()
            .chain(result -> send(result).invoke(() -> metrics.record(platform, kind, result))))
        .onFailure().invoke(e -> Log.warnf("%s %s failed, retrying: %s", kind, requestId, e.toString()));
    return StorageRetry.retrying(step, maxBackoff);
  }
}
