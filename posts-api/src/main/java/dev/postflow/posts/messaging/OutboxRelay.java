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
import java.sql.Array;
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
  /** A batch ends with the row that brings it to this many messages (or with the {@value #ROWS}th row). */
  static final int MESSAGES = 2000;
  private static final int ROWS = 500;
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  /**
   * Takes the oldest rows: up to the one that brings the batch to {@value #MESSAGES} messages (a row written by a
   * Kafka batch or a group insert holds many), at most {@value #ROWS} rows. A range, not {@code id in (select …
   * limit)}: the outbox is emptied every few milliseconds and vacuumed often, so its statistics nearly always say
   * "empty", and for that estimate PostgreSQL plans {@code id in (…)} as a nested loop that runs the sub-select once
   * per row: quadratic in the backlog (measured: 1.6 s for a 5,000-row backlog, 1.6 ms as a range). The range reads
   * every row once, whichever plan it gets.
   * The relay's advisory lock is taken by the same statement (one round trip fewer per batch): PostgreSQL evaluates
   * the lock's sub-select once, before reading any row, and deletes nothing when another relay holds the lock.
   * A row's size is its {@code message_count} column, not the length of its batch array, which would have to be read
   * back (and decompressed) from the TOAST table for every row the window passes.
   */
  static final String TAKE = """
      delete from posts.outbox_message
       where (select pg_try_advisory_xact_lock(%d))
         and id <= (select coalesce(min(id) filter (where messages >= %d), max(id))
                      from (select id, sum(message_count) over (order by id) messages
                              from posts.outbox_message order by id limit %d) oldest)
      returning id, topic, message_key, payload, headers, batch""".formatted(ADVISORY_LOCK, MESSAGES, ROWS);

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
   * 6.5 MB outbox holding 150 live rows), so the table (and its TOAST table, where batch
   * rows keep their messages) is vacuumed every {@code vacuum-every} relayed messages.
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
    catchingUp = relayBatch();
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
   * Sends up to one batch; returns whether it was full ({@value #MESSAGES} messages or {@value #ROWS} rows: more may
   * wait). The rows are taken with one {@code delete … returning} in a transaction that commits only after the broker
   * acknowledged them all (a failed send rolls the delete back).
   */
  boolean relayBatch() throws Exception {
    return shortWork.run(this::relayOn);
  }

  private boolean relayOn(Connection connection) throws Exception {
    connection.setAutoCommit(false);
    try {
      List<Row> rows = new ArrayList<>();
      try (PreparedStatement take = connection.prepareStatement(TAKE);
          ResultSet result = take.executeQuery()) {
        while (result.next()) {
          Array batch = result.getArray(6);
          if (batch == null) {
            rows.add(new Row(result.getLong(1), List.of(message(result.getString(2), result.getString(3), result.getString(4),
                result.getString(5)))));
          } else {
            rows.add(new Row(result.getLong(1), messages((String[]) batch.getArray())));
          }
        }
      }
      if (rows.isEmpty()) {
        connection.rollback();
        return false;
      }
      rows.sort(Comparator.comparingLong(Row::id)); // "returning" has no order; Kafka gets them in commit-id order
      List<ReliableProducer.Message> messages = new ArrayList<>();
      for (Row row : rows) messages.addAll(row.messages());
      producer.sendAll(messages);
      connection.commit();
      Log.debugf("relayed %d outbox messages", messages.size());
      vacuum.changed(messages.size()); // a batch row's dead TOAST chunks grow with its messages
      return messages.size() >= MESSAGES || rows.size() >= ROWS;
    } catch (Exception e) {
      throw Connections.rolledBack(connection, e);
    }
  }

  /** A batch row's messages: topic, key, payload and headers of each in turn (see OutboxMessage.batch). */
  private List<ReliableProducer.Message> messages(String[] batch) throws Exception {
    List<ReliableProducer.Message> messages = new ArrayList<>(batch.length / 4);
    for (int i = 0; i + 3 < batch.length; i += 4) messages.add(message(batch[i], batch[i + 1], batch[i + 2], batch[i + 3]));
    return messages;
  }

  private ReliableProducer.Message message(String topic, String key, String payload, String headers) throws Exception {
    return new ReliableProducer.Message(topic, key, payload, headers == null ? null : json.readValue(headers, HEADERS));
  }

  private record Row(long id, List<ReliableProducer.Message> messages) {}
}
