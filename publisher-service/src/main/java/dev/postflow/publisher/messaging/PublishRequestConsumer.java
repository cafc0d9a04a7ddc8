package dev.postflow.publisher.messaging;

import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.publisher.publish.PublishService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** First wait before a request whose platform was temporarily unavailable is taken again (doubles up to 30 s). */
  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.publisher.retry-backoff", defaultValue = "PT1S")
  Duration retryBackoff;

  @Inject
  @Channel("publish-results")
  MutinyEmitter<PublishResult> results;

  /**
   * Requests arrive in batches. One account's requests are published one after the other, in order; different
   * accounts are published in parallel. The batch's offsets are committed when every result was acknowledged.
   */
  @Incoming("publish-requests")
  public Uni<Void> onPublishRequests(List<PublishRequest> batch) {
    Map<String, List<PublishRequest>> byAccount = new LinkedHashMap<>();
    for (PublishRequest request : batch) {
      if (request == null || request.requestId() == null) {
        Log.warn("an unreadable publish request was skipped");
        continue;
      }
      byAccount.computeIfAbsent(request.accountId(), account -> new ArrayList<>()).add(request);
    }
    if (byAccount.isEmpty()) return Uni.createFrom().voidItem();
    List<Uni<Void>> lanes = new ArrayList<>();
    for (List<PublishRequest> requests : byAccount.values()) {
      Uni<Void> lane = Uni.createFrom().voidItem();
      for (PublishRequest request : requests) lane = lane.chain(() -> publishOne(request));
      lanes.add(lane);
    }
    return Uni.join().all(lanes).andFailFast().replaceWithVoid();
  }

  /**
   * Publishes one request and sends its result. Every step has a deadline; the whole step is retried, which is safe:
   * the ledger answers a finished request with its stored result and reconciles one that is in doubt.
   */
  private Uni<Void> publishOne(PublishRequest request) {
    Log.debugf("publish request %s received", request.requestId());
    return Uni.createFrom().deferred(() -> publishService.publish(request)
            .onFailure(PublishService.RetryLater.class).invoke(e -> Log.infof("%s", e.getMessage()))
            .onFailure(PublishService.RetryLater.class).retry().withBackOff(retryBackoff, Duration.ofSeconds(30)).withJitter(0.2).indefinitely()
            .chain(result -> results.sendMessage(Message.of(result)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.postId()).build()))
                .ifNoItem().after(Duration.ofSeconds(60)).fail()))
        .onFailure().invoke(e -> Log.warnf("publishing %s failed, retrying: %s", request.requestId(), e.toString()))
        .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(12);
  }
}
