package dev.postflow.posts.post;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One provider call made for a target, as reported by the publisher. */
@Entity
@Table(name = "publish_attempt")
public class PublishAttempt extends PanacheEntityBase {
  /** Assigned by the database (bigserial): the order of attempts. */
  @Column(insertable = false, updatable = false)
  public Long id;

  @Column(name = "post_id")
  public String postId;

  @Column(name = "target_id")
  public String targetId;

  /** The entity id (unique: one attempt per publish request), so the inserts of a batch of results are batched. */
  @Id
  @Column(name = "request_id")
  public String requestId;

  public int attempt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "duration_ms")
  public Long durationMs;

  public String outcome;

  @Column(name = "http_status")
  public Integer httpStatus;

  @Column(name = "provider_code")
  public String providerCode;

  /** JSON of the TargetError, or null */
  public String error;
}
