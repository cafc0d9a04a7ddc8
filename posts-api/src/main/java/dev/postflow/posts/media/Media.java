package dev.postflow.posts.media;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "media")
public class Media extends PanacheEntityBase {
  public static final String READY = "ready";

  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  public String status;

  @Column(name = "mime_type")
  public String mimeType;

  @Column(name = "size_bytes")
  public long sizeBytes;

  public Integer width;
  public Integer height;

  @Column(name = "duration_ms")
  public Long durationMs;

  /** A document's pages (PDF); null for images and videos. */
  public Integer pages;

  public String sha256;

  @Column(name = "alt_text")
  public String altText;

  @Column(name = "source_url")
  public String sourceUrl;

  @Column(name = "storage_key")
  public String storageKey;

  public String error;

  @Column(name = "created_at")
  public Instant createdAt;

  /** What a publisher (or the platform rules) needs of this file; {@code url} is a signed link, or null for checks only. */
  public dev.postflow.contract.MediaRef ref(String url) {
    return new dev.postflow.contract.MediaRef(id, mimeType, sizeBytes, width, height, durationMs, url, altText);
  }
}
