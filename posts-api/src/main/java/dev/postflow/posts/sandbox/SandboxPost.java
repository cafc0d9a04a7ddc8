package dev.postflow.posts.sandbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A post the sandbox platform received. Creates without an Idempotency-Key are never deduplicated (a double publish
 * shows up as two rows); a create that repeats a key is answered with the first post and counted in {@code repeats}.
 */
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

  /** when the sandbox's DELETE took it down (unpublish), or null */
  @Column(name = "deleted_at", insertable = false, updatable = false)
  public Instant deletedAt;

  /** later creates answered with this post because they carried its Idempotency-Key */
  @Column(insertable = false, updatable = false)
  public int repeats;

  /** how many times the sandbox's PUT changed its text (POST /v1/posts/{id}/edit), and when last */
  @Column(insertable = false, updatable = false)
  public int edits;

  @Column(name = "edited_at", insertable = false, updatable = false)
  public Instant editedAt;
}
