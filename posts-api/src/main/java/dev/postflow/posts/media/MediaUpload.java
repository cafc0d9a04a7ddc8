package dev.postflow.posts.media;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A direct upload: declared type and size, the key its bytes are PUT under, and the media it became once completed. */
@Entity
@Table(name = "media_upload")
public class MediaUpload extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  @Column(name = "content_type")
  public String contentType;

  @Column(name = "size_bytes")
  public long sizeBytes;

  @Column(name = "alt_text")
  public String altText;

  @Column(name = "storage_key")
  public String storageKey;

  @Column(name = "expires_at")
  public Instant expiresAt;

  /** Null until completed. */
  @Column(name = "media_id")
  public String mediaId;

  @Column(name = "created_at")
  public Instant createdAt;
}
