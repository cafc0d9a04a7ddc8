package dev.postflow.posts.messaging;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

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
}
