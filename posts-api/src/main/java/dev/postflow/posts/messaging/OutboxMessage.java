package dev.postflow.posts.messaging;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import dev.postflow.contract.Columns;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
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

  /**
   * Appends the messages as six array parameters (message_id, topic, message_key, payload, headers, created_at), for a
   * statement that inserts them all with {@code unnest(…) with ordinality … order by n}: the bigserial ids, the relay's
   * order, then follow the list's order.
   */
  public static Tuple addAsColumns(Tuple tuple, List<OutboxMessage> messages) {
    Columns columns = new Columns(6, messages.size());
    for (OutboxMessage m : messages) columns.add(m.messageId, m.topic, m.messageKey, m.payload, m.headers, m.createdAt);
    return columns.addTo(tuple, String.class, String.class, String.class, String.class, String.class, OffsetDateTime.class);
  }
}
