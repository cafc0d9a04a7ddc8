package dev.postflow.posts.post;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One account a post goes to. */
@Entity
@Table(name = "post_target")
public class PostTarget extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "post_id")
  public String postId;

  public int position;

  @Column(name = "account_id")
  public String accountId;

  public String platform;

  /** Changed only in {@link PostLifecycle}. */
  public String status;

  /** per-target override, or null */
  public String text;

  /** JSON array override, or null */
  @Column(name = "media_ids")
  public String mediaIds;

  /** JSON object override, or null */
  @Column(name = "platform_options")
  public String platformOptions;

  @Column(name = "platform_post_id")
  public String platformPostId;

  public String permalink;

  @Column(name = "published_at")
  public Instant publishedAt;

  public int attempts;

  /** The publish request this target is waiting for; results of any other request are ignored. */
  @Column(name = "current_request_id")
  public String currentRequestId;

  /** While the target is editing: the text sent to its platform; it becomes {@link #text} once the platform took it. */
  @Column(name = "edit_text")
  public String editText;

  /** When the platform last took an edit of this target's text. */
  @Column(name = "edited_at")
  public Instant editedAt;

  /** The key of the content this target posts ({@link Duplicates}): set when it is stored, by a PATCH of the text, and when an edit landed. */
  @Column(name = "content_key")
  public String contentKey;

  /** JSON of the TargetError, or null */
  public String error;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
