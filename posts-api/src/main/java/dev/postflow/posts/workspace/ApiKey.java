package dev.postflow.posts.workspace;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  @Column(name = "key_hash")
  public String keyHash;

  @Column(name = "key_prefix")
  public String keyPrefix;

  public String name;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  /** Everything this key creates or reschedules waits for approval by another key; it cannot approve, publish now or make keys. */
  @Column(name = "requires_approval")
  public boolean requiresApproval;
}
