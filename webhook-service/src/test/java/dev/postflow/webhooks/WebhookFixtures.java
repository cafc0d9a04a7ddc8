package dev.postflow.webhooks;

import dev.postflow.contract.CloudEvents;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * posts-api owns posts.webhook_endpoint; here the tests write the columns webhook-service reads, and publish
 * lifecycle events the way posts-api does (CloudEvents headers, the workspace in ce_workspace).
 */
public final class WebhookFixtures {
  final String workspaceId = Ids.newId("ws");
  private final SecretCipher cipher;

  WebhookFixtures(SecretCipher cipher) {
    this.cipher = cipher;
  }

  static String newSecret() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return "whsec_" + Base64.getEncoder().encodeToString(raw);
  }

  /** posts-api owns posts.webhook_endpoint; here the columns webhook-service reads. */
  public static void ensureEndpointTable(Connection connection) throws java.sql.SQLException {
    connection.createStatement().execute("""
        create schema if not exists posts;
        create table if not exists posts.webhook_endpoint (id text primary key, workspace_id text, url text, events text,
          description text, secret text, previous_secret text, previous_secret_expires_at timestamptz, status text,
          disabled_reason text, enabled_at timestamptz not null default now(), updated_at timestamptz not null default now())""");
  }

  String endpoint(String url, String events, String secret) throws Exception {
    String id = Ids.newId("whe");
    try (Connection connection = db()) {
      ensureEndpointTable(connection);
      try (PreparedStatement insert = connection.prepareStatement(
          "insert into posts.webhook_endpoint (id, workspace_id, url, events, secret, status) values (?, ?, ?, ?, ?, 'enabled')")) {
        insert.setString(1, id);
        insert.setString(2, workspaceId);
        insert.setString(3, url);
        insert.setString(4, events);
        insert.setString(5, cipher.encrypt(secret));
        insert.executeUpdate();
      }
    }
    return id;
  }

  /** What posts-api's rotate-secret does. */
  void rotate(String endpointId, String newSecret, String oldSecret) throws Exception {
    try (Connection connection = db(); PreparedStatement update = connection.prepareStatement(
        "update posts.webhook_endpoint set secret = ?, previous_secret = ?, previous_secret_expires_at = ? where id = ?")) {
      update.setString(1, cipher.encrypt(newSecret));
      update.setString(2, cipher.encrypt(oldSecret));
      update.setTimestamp(3, Timestamp.from(Instant.now().plusSeconds(86_400)));
      update.setString(4, endpointId);
      update.executeUpdate();
    }
  }

  String status(String endpointId) throws Exception {
    try (Connection connection = db(); ResultSet row = connection.createStatement().executeQuery(
        "select status || coalesce(': ' || disabled_reason, '') from posts.webhook_endpoint where id = '" + endpointId + "'")) {
      return row.next() ? row.getString(1) : null;
    }
  }

  /** "status:attempt=code+|-" per attempt, in attempt order. */
  List<String> attempts(String endpointId) throws Exception {
    try (Connection connection = db(); ResultSet rows = connection.createStatement().executeQuery(
        "select d.status, a.attempt, coalesce(a.status_code, 0), a.success, a.error from webhooks.delivery d"
            + " join webhooks.delivery_attempt a on a.delivery_id = d.id where d.endpoint_id = '" + endpointId + "' order by a.id")) {
      List<String> log = new ArrayList<>();
      while (rows.next()) {
        log.add(rows.getString(1) + ":" + rows.getInt(2) + "=" + rows.getInt(3) + (rows.getBoolean(4) ? "+" : "-")
            + (rows.getString(5) == null ? "" : " " + rows.getString(5)));
      }
      return log;
    }
  }

  String publish(String type) {
    String eventId = Ids.newId("evt");
    send(eventId, "{\"type\":\"" + type + "\",\"id\":\"" + eventId + "\",\"timestamp\":\"2026-06-01T09:00:00Z\",\"data\":{\"id\":\"post_1\"}}");
    return eventId;
  }

  void send(String eventId, String body) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafka().bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LIFECYCLE_EVENTS, "post_1", body);
      record.headers().add(CloudEvents.WORKSPACE, workspaceId.getBytes(StandardCharsets.UTF_8));
      record.headers().add(CloudEvents.ID, eventId.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Connection db() throws Exception {
    return RealInfrastructure.jdbc();
  }
}
