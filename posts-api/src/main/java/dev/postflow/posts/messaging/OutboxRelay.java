package dev.postflow.posts.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
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

  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean running;
  private Thread thread;
  private KafkaProducer<String, String> producer;

  void start(@Observes StartupEvent event) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "posts-api-outbox");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producer = new KafkaProducer<>(props);
    running = true;
    thread = new Thread(this::loop, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    wake();
    thread.join(10_000);
    producer.close(java.time.Duration.ofSeconds(5));
  }

  /** Called after a transaction that wrote outbox rows committed: relay now instead of at the next poll. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      try {
        if (relayBatch() < BATCH) waitForWork(idlePollMs);
      } catch (Exception e) {
        Log.warnf("outbox relay: %s; retrying", e.toString());
        waitForWork(1000);
      }
    }
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
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
            "select id, topic, message_key, payload, headers from posts.outbox_message order by id limit " + BATCH)) {
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getLong(1));
              ProducerRecord<String, String> record = new ProducerRecord<>(rows.getString(2), rows.getString(3), rows.getString(4));
              String headers = rows.getString(5);
              if (headers != null) {
                for (Map.Entry<String, String> header : json.readValue(headers, new TypeReference<Map<String, String>>() {}).entrySet()) {
                  record.headers().add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
                }
              }
              acks.add(producer.send(record));
            }
          }
        }
        if (ids.isEmpty()) {
          connection.rollback();
          return 0;
        }
        for (Future<RecordMetadata> ack : acks) ack.get(30, TimeUnit.SECONDS);
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

  private void waitForWork(long millis) {
    synchronized (signal) {
      if (!woken) {
        try {
          signal.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      woken = false;
    }
  }
}
