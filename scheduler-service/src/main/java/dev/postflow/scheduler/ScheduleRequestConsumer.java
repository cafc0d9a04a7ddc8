package dev.postflow.scheduler;

import dev.postflow.contract.ScheduleRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Stores schedules from posts-api. Idempotent: an older or repeated version changes nothing. */
@ApplicationScoped
public class ScheduleRequestConsumer {
  @Inject AgroalDataSource dataSource;
  @Inject DueDispatcher dispatcher;

  @Incoming("schedule-requests")
  @Blocking
  public void onScheduleRequest(ScheduleRequest request) throws SQLException {
    if (request == null || request.postId() == null) {
      Log.warn("an unreadable schedule request was skipped");
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      boolean changed = ScheduleRepository.apply(connection, request);
      Log.debugf("schedule %s v%d due %s: %s", request.postId(), request.scheduleVersion(), request.dueAt(),
          changed ? "stored" : "older than the stored one, ignored");
    }
    dispatcher.wake();
  }
}
