package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import dev.postflow.contract.CloudEvents;
import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class WebhookDeliveryTest {
  @Inject SecretCipher cipher;
  private WebhookReceiver receiver;
  private String workspaceId;
  private String secret;

  @BeforeEach
  void setUp() {
    receiver = new WebhookReceiver();
    workspaceId = Ids.newId("ws");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    secret = "whsec_" + Base64.getEncoder().encodeToString(raw);
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  /** posts-api owns posts.webhook_endpoint; here the test writes the columns webhook-service reads. */
  private String endpoint(String events) throws Exception {
    String id = Ids.newId("whe");
    try (Connection connection = db()) {
      connection.createStatement().execute("""
          create schema if not exists posts;
          create table if not exists posts.webhook_endpoint (id text primary key, workspace_id text, url text, events text,
            secret text, status text)""");
      try (PreparedStatement insert = connection.prepareStatement("insert into posts.webhook_endpoint values (?, ?, ?, ?, ?, 'enabled')")) {
        insert.setString(1, id);
        insert.setString(2, workspaceId);
        insert.setString(3, receiver.url());
        insert.setString(4, events);
        insert.setString(5, cipher.encrypt(secret));
        insert.executeUpdate();
      }
    }
    return id;
  }

  private static Connection db() throws Exception {
    return RealInfrastructure.jdbc();
  }

  private String publish(String type) {
    String eventId = Ids.newId("evt");
    String body = "{\"type\":\"" + type + "\",\"id\":\"" + eventId + "\",\"timestamp\":\"2026-06-01T09:00:00Z\",\"data\":{\"id\":\"post_1\"}}";
    send(eventId, body);
    return eventId;
  }

  private void send(String eventId, String body) {
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

  @Test
  void deliversTheEventSignedPerStandardWebhooks() throws Exception {
    endpoint("[\"*\"]");
    String eventId = publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 1);
    WebhookReceiver.Received delivery = receiver.received().get(0);
    assertEquals(eventId, delivery.header("webhook-id"));
    assertTrue(delivery.body().contains("\"type\":\"post.published\""));
    new Webhook(secret).verify(delivery.body(), delivery.headers()); // the official library; throws if the signature is wrong
  }

  @Test
  void aFailedDeliveryIsRetriedWithTheSameWebhookIdAndEveryAttemptIsLogged() throws Exception {
    String endpointId = endpoint("[\"post.published\"]");
    receiver.answerNext(500, 302);
    String eventId = publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 3);
    List<WebhookReceiver.Received> received = receiver.received();
    assertTrue(received.stream().allMatch(r -> eventId.equals(r.header("webhook-id"))));
    for (WebhookReceiver.Received r : received) new Webhook(secret).verify(r.body(), r.headers());
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      try (Connection connection = db(); ResultSet rows = connection.createStatement().executeQuery(
          "select d.status, a.attempt, a.status_code, a.success from webhooks.delivery d join webhooks.delivery_attempt a on a.delivery_id = d.id"
              + " where d.endpoint_id = '" + endpointId + "' order by a.attempt")) {
        StringBuilder log = new StringBuilder();
        while (rows.next()) log.append(rows.getString(1)).append(':').append(rows.getInt(2)).append('=').append(rows.getInt(3)).append(rows.getBoolean(4) ? "+" : "-").append(' ');
        assertEquals("succeeded:1=500- succeeded:2=302- succeeded:3=200+ ", log.toString());
      }
    });
  }

  @Test
  void onlySubscribedEventsAreDeliveredAndARepeatedEventOnlyOnce() throws Exception {
    endpoint("[\"post.published\"]");
    publish("post.scheduled");
    String eventId = Ids.newId("evt");
    String body = "{\"type\":\"post.published\",\"id\":\"" + eventId + "\",\"timestamp\":\"2026-06-01T09:00:00Z\",\"data\":{}}";
    send(eventId, body);
    send(eventId, body);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 1);
    // A later event proves the earlier ones were all processed before we count.
    String marker = publish("post.published");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().stream().anyMatch(r -> marker.equals(r.header("webhook-id"))));
    assertEquals(2, receiver.received().size(), "post.scheduled is not subscribed; the repeated event is delivered once");
  }
}
