package dev.postflow.posts.idempotency;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyKey.Id.class)
public class IdempotencyKey extends PanacheEntityBase {
  public record Id(String workspaceId, String key) implements Serializable {
    public Id() {
      this(null, null);
    }
  }

  @jakarta.persistence.Id
  @Column(name = "workspace_id")
  public String workspaceId;

  @jakarta.persistence.Id
  public String key;

  @Column(name = "request_hash")
  public String requestHash;

  @Column(name = "response_status")
  public int responseStatus;

  @Column(name = "response_body")
  public String responseBody;

  @Column(name = "created_at")
  public Instant createdAt;
}
