package dev.postflow.posts.messaging;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import dev.postflow.contract.Ids;
import java.time.Instant;
import java.util.List;

/**
 * A message waiting for the relay. The entity id is a client-assigned message id, so Hibernate batches the inserts of
 * a transaction; the relay orders by the table's bigserial column, which the database fills at insert time and this
 * entity never maps.
 */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {
  @Id
  @Column(name = "message_id")
  public String messageId;

  public String topic;

  @Column(name = "message_key")
  public String messageKey;

  public String payload;

  /** JSON object of Kafka headers */
  public String headers;

  @Column(name = "created_at")
  public Instant createdAt;

  /** For a request to a publisher: its request id, which the request watch records. */
  @Transient
  public String watchedRequest;

  /** Marks this message as the request {@code requestId}: it is watched until answered. */
  public OutboxMessage watched(String requestId) {
    watchedRequest = requestId;
    return this;
  }

  /**
   * The id and time of a row persisted for one message (through Hibernate), set as it is persisted: a message that
   * goes into a {@link #batch} needs neither.
   */
  @PrePersist
  void identify() {
    if (messageId == null) messageId = Ids.newId("msg");
    if (createdAt == null) createdAt = Instant.now();
  }

  /**
   * The messages as one outbox row's {@code batch}: topic, key, payload and headers of each message in turn, in list
   * order (the relay sends them in that order). Statements that write many messages at once insert one row with it
   * ({@link #insertBatch}) instead of a row per message.
   */
  public static String[] batch(List<OutboxMessage> messages) {
    String[] batch = new String[4 * messages.size()];
    int i = 0;
    for (OutboxMessage m : messages) {
      batch[i++] = m.topic;
      batch[i++] = m.messageKey;
      batch[i++] = m.payload;
      batch[i++] = m.headers;
    }
    return batch;
  }

  /**
   * The part of a statement that stores a {@link #batch} given as parameter {@code $n}: one row, none for an empty
   * batch. Used as the last part of a statement whose other parts are CTEs.
   */
  public static String insertBatch(int n) {
    return """
        insert into posts.outbox_message (batch, message_count)
        select $%1$d::text[], cardinality($%1$d::text[]) / 4 where cardinality($%1$d::text[]) > 0""".formatted(n);
  }
}
