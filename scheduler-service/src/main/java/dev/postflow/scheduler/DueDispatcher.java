package dev.postflow.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.PostDue;
import dev.postflow.contract.ReliableProducer;
import dev.postflow.contract.Topics;
import dev.postflow.contract.WakeSignal;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands due posts over to Kafka at their time. Each round claims due rows ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas share the work without handing a post over twice), sends them, waits for the broker's acks and only
 * then commits. A replica that dies mid-round loses its connection, its transaction rolls back and another
 * replica claims the rows. When nothing is due it sleeps until the next due time, or until a new schedule arrives.
 */
@ApplicationScoped
public class DueDispatcher {
  @Inject AgroalDataSource dataSource;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "postflow.scheduler.batch-size")
  int batchSize;

  @ConfigProperty(name = "postflow.scheduler.max-idle-ms")
  long maxIdleMs;

  private final WakeSignal signal = new WakeSignal();
  private volatile boolean running;
  private Thread thread;
  private ReliableProducer producer;

  void start(@Observes StartupEvent event) {
    producer = new ReliableProducer(bootstrapServers, "scheduler-due");
    running = true;
    thread = new Thread(this::loop, "due-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Graceful shutdown: finish the round in flight (its transaction commits or rolls back), then stop. */
  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    signal.wake();
    thread.join(15_000);
    producer.close();
  }

  /** A schedule changed: look again now rather than at the previously computed time. */
  public void wake() {
    signal.wake();
  }

  private void loop() {
    while (running) {
      try {
        int handedOver = dispatchOnce();
        if (handedOver < batchSize) {
          long wait = nextWait();
          if (wait > 0) signal.await(wait);
        }
      } catch (Exception e) {
        Log.warnf("due dispatcher: %s; retrying", e.toString());
        signal.await(1000);
      }
    }
  }

  /** One round: claim, hand over, commit. Returns how many posts were handed over. */
  int dispatchOnce() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<PostDue> due = ScheduleRepository.claimDue(connection, batchSize);
        if (due.isEmpty()) {
          connection.rollback();
          return 0;
        }
        List<ReliableProducer.Message> messages = new ArrayList<>(due.size());
        for (PostDue post : due) {
          messages.add(new ReliableProducer.Message(Topics.POSTS_DUE, post.postId(), json.writeValueAsString(post), null));
        }
        producer.sendAll(messages);
        connection.commit();
        Log.debugf("handed over %d due posts", due.size());
        return due.size();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private long nextWait() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      long millis = ScheduleRepository.millisUntilNextDue(connection);
      return millis < 0 ? maxIdleMs : Math.min(millis, maxIdleMs);
    }
  }
}
