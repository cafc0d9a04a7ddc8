package dev.postflow.posts.post;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "post")
public class Post extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  /** Changed only in {@link PostLifecycle}. */
  public String status;

  public long version;

  /** Bumped whenever the time the post is due changes; a due hand-over of an older version is ignored. */
  @Column(name = "schedule_version")
  public long scheduleVersion;

  public String text;

  /** JSON array */
  @Column(name = "media_ids")
  public String mediaIds;

  /** JSON object */
  @Column(name = "platform_options")
  public String platformOptions;

  @Column(name = "scheduled_at")
  public Instant scheduledAt;

  @Column(name = "time_zone")
  public String timeZone;

  @Column(name = "published_at")
  public Instant publishedAt;

  /** The queue whose slot the post took (posts-api's queue package); null once it is moved by hand or published now. */
  @Column(name = "queue_id")
  public String queueId;

  @Column(name = "external_id")
  public String externalId;

  /** JSON object */
  public String metadata;

  /** A reviewer's reason, while the post is rejected (POST /reject). */
  @Column(name = "rejection_reason")
  public String rejectionReason;

  /** The API key that approved or rejected the post, and when; cleared when it is submitted again. */
  @Column(name = "reviewed_by")
  public String reviewedBy;

  @Column(name = "reviewed_at")
  public Instant reviewedAt;

  /** The repeats still to make once the post is published, every repost_every_days days ({@link Reposts}); null: none. */
  @Column(name = "repost_times")
  public Integer repostTimes;

  @Column(name = "repost_every_days")
  public Integer repostEveryDays;

  /** JSON array: the text of each repeat in turn (the next repeat's first); null: the post's own text. */
  @Column(name = "repost_texts")
  public String repostTexts;

  /** A repeat: the first post of its chain. */
  @Column(name = "repost_of")
  public String repostOf;

  /** The repeat made from this post once it was published. */
  @Column(name = "reposted_as")
  public String repostedAs;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
