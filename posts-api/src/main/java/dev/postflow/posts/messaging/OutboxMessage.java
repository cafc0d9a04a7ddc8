package dev.postflow.posts.messaging;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  public String topic;

  @Column(name = "message_key")
  public String messageKey;

  public String payload;

  /** JSON object of Kafka headers */
  public String headers;

  @Column(name = "created_at")
  public Instant createdAt;
}
