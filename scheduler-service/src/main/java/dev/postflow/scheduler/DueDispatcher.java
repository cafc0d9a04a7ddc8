package dev.postflow.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Connections;
import dev.postflow.contract.PostDue;
import dev.postflow.contract.ReliableProducer;
import dev.postflow.contract.Retention;
import dev.postflow.contract.ShortWork;
import dev.postflow.contract.TableVacuum;
import dev.postflow.contract.Topics;
import dev.postflow.contract.WorkerLoop;
import java.time.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "postflow.scheduler.batch-size")
  int batchSize;

  @ConfigProperty(name = "postflow.scheduler.max-idle-ms")
  long maxIdleMs;

  /** Dispatcher threads in this replica; like replicas, they share due posts through SKIP LOCKED claims. */
  @ConfigProperty(name = "postflow.scheduler.threads")
  int threads;

  /** This replica's name in hand_over.handed_over_by; the pod name in Kubernetes. */
  @ConfigProperty(name = "postflow.scheduler.instance-id")
  java.util.Optional<String> configuredInstanceId;

  /**
   * After this many hand-overs the table is vacuumed: a hand-over deletes its row, and the waiting index keeps an entry
   * for it, right where every claim and next-due query starts reading, until a VACUUM removes it. While rounds are
   * full (a burst, a backlog) the vacuum waits for the first round that is not, up to four times this many.
   */
  @ConfigProperty(name = "postflow.scheduler.vacuum-every")
  int vacuumEvery;

  @Inject ShortWork shortWork;
  @Inject MeterRegistry registry;

  /** How long the hand-over log is kept; older rows are deleted once an hour. */
  @ConfigProperty(name = "postflow.scheduler.hand-over-retention")
  Duration handOverRetention;

  private String instanceId;
  private TableVacuum vacuum;
  private Retention handOverLog;
  private WorkerLoop worker;
  private ReliableProducer producer;
  /** postflow_handover_lateness_seconds: how late each post was handed over (the database's clock, both ends). */
  private Timer lateness;

  void start(@Observes StartupEvent event) {
    lateness = Timer.builder("postflow.handover.lateness")
        .description("from a post's due time to its hand-over to Kafka, both on the database's clock").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    instanceId = configuredInstanceId.orElseGet(() -> System.getenv().getOrDefault("HOSTNAME", "scheduler") + "-" + ProcessHandle.current().pid());
    producer = new ReliableProducer(bootstrapServers, "scheduler-due");
    // Index cleanup forced: PostgreSQL skips it when few heap pages have dead rows, and the waiting index is the point.
    vacuum = new TableVacuum("scheduler.scheduled_post", "skip_locked, index_cleanup on", vacuumEvery, shortWork);
    handOverLog = new Retention("hand-overs", handOverRetention, shortWork, ScheduleRepository.DELETE_EXPIRED_HAND_OVERS);
    handOverLog.start();
    worker = new WorkerLoop("due-dispatcher", threads, this::round);
    worker.start();
  }

  /** Graceful shutdown: finish the round in flight (its transaction commits or rolls back), then stop. */
  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    worker.stop(Duration.ofSeconds(15));
    vacuum.close();
    handOverLog.stop();
    producer.close();
  }

  /** Deletes the hand-overs older than the retention now (it runs once an hour anyway); returns how many. */
  int deleteExpiredHandOvers() throws java.sql.SQLException {
    return handOverLog.deleteExpired();
  }

  /**
   * The due time the sleeping dispatcher will wake for (a database-clock instant, as stored); {@link Instant#MIN}
   * while a round runs or before the first, so that every new schedule wakes it then.
   */
  private volatile Instant plannedWake = Instant.MIN;

  /**
   * Schedules were stored; {@code earliest} is the earliest due time among them (null: none, e.g. cancelled). The
   * dispatcher is woken only if that is before the time it already sleeps towards: 500 new posts due next week cost
   * no extra round. Compared as stored instants, so no clock is involved.
   */
  public void scheduled(Instant earliest) {
    if (earliest != null && earliest.isBefore(plannedWake)) worker.wake();
  }

  /** Returns how long to sleep: 0 after a full batch; else until the next due time (5 ms if due rows are held by another replica). */
  private long round() throws Exception {
    plannedWake = Instant.MIN;
    ScheduleRepository.Claim claim = dispatchOnce();
    int handedOver = claim.due().size();
    boolean full = handedOver >= batchSize;
    vacuum.changed(handedOver, full); // while rounds are full, the vacuum waits for one that is not (an empty one too)
    if (full) return 0;
    long wait = plannedWait(claim.next());
    return handedOver == 0 ? Math.max(wait, 5) : wait;
  }

  /** One round: claim, hand over, commit. Returns the posts handed over and the next waiting one. */
  ScheduleRepository.Claim dispatchOnce() throws Exception {
    return shortWork.run(this::dispatchOn);
  }

  private ScheduleRepository.Claim dispatchOn(Connection connection) throws Exception {
    connection.setAutoCommit(false);
    try {
      ScheduleRepository.Claim claim = ScheduleRepository.claimDue(connection, batchSize, instanceId);
      List<PostDue> due = claim.due();
      if (due.isEmpty()) {
        connection.rollback();
        return claim;
      }
      List<ReliableProducer.Message> messages = new ArrayList<>(due.size());
      for (PostDue post : due) {
        messages.add(new ReliableProducer.Message(Topics.POSTS_DUE, post.postId(), json.writeValueAsString(post), null));
      }
      producer.sendAll(messages);
      connection.commit();
      for (PostDue post : due) lateness.record(Duration.between(post.dueAt(), post.handedOverAt()));
      Log.debugf("handed over %d due posts", due.size());
      return claim;
    } catch (Exception e) {
      throw Connections.rolledBack(connection, e);
    }
  }

  /**
   * Milliseconds until the next due time (at most max-idle-ms), remembered as the planned wake. The next due time was
   * read with the claim, before the hand-over; a schedule stored since then woke the dispatcher (the planned wake was
   * {@link Instant#MIN} throughout the round), so the sleep ends at once.
   */
  private long plannedWait(ScheduleRepository.NextDue next) {
    long millis = next == null ? Long.MAX_VALUE : next.millisLeft();
    if (millis > maxIdleMs) {
      // Beyond max-idle-ms the round comes anyway; a schedule due before then must wake it.
      plannedWake = next == null ? Instant.MAX : next.dueAt().minusMillis(millis - maxIdleMs);
      return maxIdleMs;
    }
    plannedWake = next.dueAt();
    return millis;
  }
}
