package dev.postflow.posts.webhook;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  public String url;

  /** JSON array */
  public String events;

  public String description;

  /** encrypted whsec_ secret */
  public String secret;

  /** encrypted secret replaced by the last rotation; still signs until previousSecretExpiresAt */
  @Column(name = "previous_secret")
  public String previousSecret;

  @Column(name = "previous_secret_expires_at")
  public Instant previousSecretExpiresAt;

  /** enabled | disabled */
  public String status;

  @Column(name = "disabled_reason")
  public String disabledReason;

  @Column(name = "enabled_at")
  public Instant enabledAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
