package dev.postflow.posts.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Connections;
import dev.postflow.contract.ReliableProducer;
import dev.postflow.contract.ShortWork;
import dev.postflow.contract.TableVacuum;
import dev.postflow.contract.WorkerLoop;
import java.time.Duration;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends outbox rows to Kafka in id order and deletes them in a transaction that commits once the broker acknowledged them.
 * One relay at a time per database (an advisory lock), so events keep their order across replicas.
 * A crash after the send and before the commit sends a row again: consumers are idempotent.
 */
@ApplicationScoped
public class OutboxRelay {
  static final long ADVISORY_LOCK = 0x706f737473L; // "posts"
  private static final int BATCH = 500;

  /**
   * Takes the oldest rows: everything up to the {@value #BATCH}th smallest id. A range, not {@code id in (select …
   * limit)}: the outbox is emptied every few milliseconds and vacuumed often, so its statistics nearly always say
   * "empty", and for that estimate PostgreSQL plans {@code id in (…)} as a nested loop that runs the sub-select once
   * per row: quadratic in the backlog (measured: 1.6 s for a 5,000-row backlog, 1.6 ms as a range). The range reads
   * every row once, whichever plan it gets.
   * The relay's advisory lock is taken by the same statement (one round trip fewer per batch): PostgreSQL evaluates
   * the lock's sub-select once, before reading any row, and deletes nothing when another relay holds the lock.
   */
  static final String TAKE = """
      delete from posts.outbox_message
       where (select pg_try_advisory_xact_lock(%d))
         and id <= (select max(id) from (select id from posts.outbox_message order by id limit %d) oldest)
      returning id, topic, message_key, payload, headers""".formatted(ADVISORY_LOCK, BATCH);

  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "postflow.outbox.idle-poll-ms", defaultValue = "1000")
  long idlePollMs;

  @Inject ShortWork shortWork;

  @ConfigProperty(name = "postflow.outbox.vacuum-every")
  int vacuumEvery;

  /**
   * After a wake-up the relay waits this long before it takes a batch, so the messages of requests that commit close
   * together travel in one batch (one delete, one produce request, one fetch for each consumer) instead of one each.
   */
  @ConfigProperty(name = "postflow.outbox.linger-ms", defaultValue = "5")
  long lingerMs;

  private boolean catchingUp; // the last batch was full: go on without lingering
  private final AtomicBoolean urgent = new AtomicBoolean(); // woken by a consumer batch: relay without lingering

  /**
   * Every row of the outbox is inserted and deleted within milliseconds; between autovacuum rounds (a minute apart by
   * default) the dead rows pile up and every relay scans them (measured: the relay's statement took 1.6 ms on a
   * 6.5 MB outbox holding 150 live rows), so the table is vacuumed every {@code vacuum-every} deleted rows.
   */
  private TableVacuum vacuum;

  private WorkerLoop worker;
  private ReliableProducer producer;

  void start(@Observes StartupEvent event) {
    producer = new ReliableProducer(bootstrapServers, "posts-api-outbox");
    vacuum = new TableVacuum("posts.outbox_message", "skip_locked", vacuumEvery, shortWork);
    worker = new WorkerLoop("outbox-relay", 1, this::round);
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    worker.stop(Duration.ofSeconds(10));
    vacuum.close();
    producer.close();
  }

  private long round() throws Exception {
    if (!urgent.getAndSet(false) && !catchingUp && lingerMs > 0) Thread.sleep(lingerMs);
    catchingUp = relayBatch() >= BATCH;
    return catchingUp ? 0 : idlePollMs;
  }

  /** Called after a transaction that wrote outbox rows committed: relay now instead of at the next poll. */
  public void wake() {
    worker.wake();
  }

  /**
   * Called after a Kafka consumer's batch committed (due hand-overs): its messages are already one batch, so the
   * relay sends them without lingering. At 20 due/s the linger was 5 of the 16 ms between a due hand-over reaching
   * Kafka and its publish request being sent (9 ms without; docs/performance.md).
   */
  public void wakeNow() {
    urgent.set(true);
    worker.wake();
  }

  /**
   * Sends up to one batch; returns how many rows it sent. The rows are taken with one {@code delete … returning} in a
   * transaction that commits only after the broker acknowledged them all (a failed send rolls the delete back).
   */
  int relayBatch() throws Exception {
    return shortWork.run(this::relayOn);
  }

  private int relayOn(Connection connection) throws Exception {
    connection.setAutoCommit(false);
    try {
      List<Row> rows = new ArrayList<>();
      try (PreparedStatement take = connection.prepareStatement(TAKE);
          ResultSet result = take.executeQuery()) {
        while (result.next()) {
          String headers = result.getString(5);
          rows.add(new Row(result.getLong(1), new ReliableProducer.Message(result.getString(2), result.getString(3),
              result.getString(4), headers == null ? null : json.readValue(headers, new TypeReference<Map<String, String>>() {}))));
        }
      }
      if (rows.isEmpty()) {
        connection.rollback();
        return 0;
      }
      rows.sort(Comparator.comparingLong(Row::id)); // "returning" has no order; Kafka gets them in commit-id order
      producer.sendAll(rows.stream().map(Row::message).toList());
      connection.commit();
      Log.debugf("relayed %d outbox messages", rows.size());
      vacuum.changed(rows.size());
      return rows.size();
    } catch (Exception e) {
      throw Connections.rolledBack(connection, e);
    }
  }

  private record Row(long id, ReliableProducer.Message message) {}
}
