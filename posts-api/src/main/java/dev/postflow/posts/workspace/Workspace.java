package dev.postflow.posts.workspace;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "workspace")
public class Workspace extends PanacheEntityBase {
  @Id public String id;
  public String name;

  @Column(name = "created_at")
  public Instant createdAt;
}
