package dev.postflow.scheduler;

import dev.postflow.contract.ScheduleRequest;
import dev.postflow.contract.ShortWork;
import dev.postflow.contract.StorageRetry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Stores schedules from posts-api, a polled batch in one transaction. Idempotent: an older or repeated version
 * changes nothing. While the database is unreachable a batch is retried until it is back ({@link StorageRetry}); a batch
 * the database does not answer within the answer timeout (its host vanished) is retried on a new connection.
 */
@ApplicationScoped
public class ScheduleRequestConsumer {
  /** Longest wait between two tries of a batch the database did not take (see StorageRetry). */
  @ConfigProperty(name = "postflow.consumers.max-backoff")
  Duration maxBackoff;

  @Inject ShortWork shortWork;

  @Inject DueDispatcher dispatcher;

  @Incoming("schedule-requests")
  @Blocking
  public void onScheduleRequests(List<ScheduleRequest> batch) throws SQLException, InterruptedException {
    List<ScheduleRequest> requests = batch.stream().filter(r -> r != null && r.postId() != null).toList();
    if (requests.size() < batch.size()) Log.warnf("%d unreadable schedule requests were skipped", batch.size() - requests.size());
    if (requests.isEmpty()) return;
    StorageRetry.run(requests.size() + " schedule requests", maxBackoff, () -> {
      int changed = shortWork.run(connection -> ScheduleRepository.applyAll(connection, requests));
      Log.debugf("%d schedule requests, %d stored (the others were older than the stored version)", requests.size(), changed);
    });
    dispatcher.scheduled(requests.stream().map(ScheduleRequest::dueAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null));
  }
}
