package dev.postflow.posts.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.ReliableProducer;
import dev.postflow.contract.WorkerLoop;
import java.time.Duration;
import io.agroal.api.AgroalDataSource;
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
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends outbox rows to Kafka in id order and deletes them once the broker acknowledged them.
 * One relay at a time per database (an advisory lock), so events keep their order across replicas.
 * A crash after the send and before the delete sends a row again: consumers are idempotent.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final long ADVISORY_LOCK = 0x706f737473L; // "posts"
  private static final int BATCH = 500;

  @Inject AgroalDataSource dataSource;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "postflow.outbox.idle-poll-ms", defaultValue = "1000")
  long idlePollMs;

  private WorkerLoop worker;
  private ReliableProducer producer;

  void start(@Observes StartupEvent event) {
    producer = new ReliableProducer(bootstrapServers, "posts-api-outbox");
    worker = new WorkerLoop("outbox-relay", 1, () -> relayBatch() < BATCH ? idlePollMs : 0);
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    worker.stop(Duration.ofSeconds(10));
    producer.close();
  }

  /** Called after a transaction that wrote outbox rows committed: relay now instead of at the next poll. */
  public void wake() {
    worker.wake();
  }

  /** Sends up to one batch; returns how many rows it sent. */
  int relayBatch() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (!tryLock(connection)) {
          connection.rollback();
          return 0;
        }
        List<Long> ids = new ArrayList<>();
        List<ReliableProducer.Message> messages = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
            "select id, topic, message_key, payload, headers from posts.outbox_message order by id limit " + BATCH)) {
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getLong(1));
              String headers = rows.getString(5);
              messages.add(new ReliableProducer.Message(rows.getString(2), rows.getString(3), rows.getString(4),
                  headers == null ? null : json.readValue(headers, new TypeReference<Map<String, String>>() {})));
            }
          }
        }
        if (ids.isEmpty()) {
          connection.rollback();
          return 0;
        }
        producer.sendAll(messages);
        Log.debugf("relayed %d outbox messages", messages.size());
        try (PreparedStatement delete = connection.prepareStatement("delete from posts.outbox_message where id = any(?)")) {
          delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
          delete.executeUpdate();
        }
        connection.commit();
        return ids.size();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private static boolean tryLock(Connection connection) throws Exception {
    try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      lock.setLong(1, ADVISORY_LOCK);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }
}
