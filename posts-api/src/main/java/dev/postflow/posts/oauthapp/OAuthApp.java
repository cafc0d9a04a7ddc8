package dev.postflow.posts.oauthapp;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A workspace's own OAuth app on one platform (posts.oauth_app). Secrets are stored encrypted. */
@Entity
@Table(name = "oauth_app")
public class OAuthApp extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  public String platform;

  @Column(name = "client_id")
  public String clientId;

  /** encrypted */
  @Column(name = "client_secret")
  public String clientSecret;

  /** X's OAuth 1.0a consumer key (API key); null elsewhere. */
  @Column(name = "consumer_key")
  public String consumerKey;

  /** encrypted */
  @Column(name = "consumer_secret")
  public String consumerSecret;

  /** The app the workspace's new accounts connect through (one per platform). */
  public boolean active;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
