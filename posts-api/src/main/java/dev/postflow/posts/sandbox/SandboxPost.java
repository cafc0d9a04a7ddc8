package dev.postflow.posts.sandbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A post the sandbox platform received. Never deduplicated: a double publish shows up as two rows. */
@Entity
@Table(name = "sandbox_post")
public class SandboxPost extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "account_id")
  public String accountId;

  @Column(name = "target_id")
  public String targetId;

  public String text;

  /** JSON array */
  @Column(name = "media_ids")
  public String mediaIds;

  /** set by the database (clock_timestamp()) so "published early" is judged on the database clock */
  @Column(name = "received_at", insertable = false, updatable = false)
  public Instant receivedAt;
}
