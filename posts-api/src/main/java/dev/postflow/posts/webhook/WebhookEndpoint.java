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

  public String status;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
