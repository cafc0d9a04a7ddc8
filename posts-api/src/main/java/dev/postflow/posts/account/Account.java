package dev.postflow.posts.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {
  public static final String ACTIVE = "active";
  public static final String REAUTH_REQUIRED = "reauth_required";
  public static final String DISCONNECTED = "disconnected";

  @Id public String id;

  @Column(name = "workspace_id")
  public String workspaceId;

  public String platform;

  @Column(name = "external_id")
  public String externalId;

  public String handle;

  /** encrypted */
  @Column(name = "access_token")
  public String accessToken;

  /** encrypted */
  @Column(name = "refresh_token")
  public String refreshToken;

  @Column(name = "token_expires_at")
  public Instant tokenExpiresAt;

  /** JSON object of the platform's own fields (instance_url, pds_url, ...) */
  @Column(name = "platform_fields")
  public String platformFields;

  /** X's OAuth 1.0a: the access token's secret, encrypted; null for OAuth 2.0 tokens and every other platform. */
  @Column(name = "token_secret")
  public String tokenSecret;

  /** atproto OAuth (Bluesky): the private JWK its tokens are bound to, encrypted; null otherwise. */
  @Column(name = "dpop_key")
  public String dpopKey;

  /** The workspace's own OAuth app the account was connected through (its tokens refresh with it); null: the deployment's. */
  @Column(name = "oauth_app_id")
  public String oauthAppId;

  public String status;

  /**
   * When the account's token ends for good, because nothing renews it ({@link dev.postflow.contract.platform.TokenRenewal}:
   * no refresh token); null when it is renewed or never ends. Not a column: filled in by AccountService.findForPosting.
   */
  @jakarta.persistence.Transient
  public Instant tokenEndsAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
