package dev.postflow.posts.queue;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A posting queue: weekly slots in a time zone, {@code capacity} posts per slot. */
@Entity
@Table(name = "queue")
public class Queue extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  public String name;

  @Column(name = "time_zone")
  public String timeZone;

  /** JSON: [{"days": ["mon", …], "times": ["09:00", …]}] */
  public String slots;

  public int capacity;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
