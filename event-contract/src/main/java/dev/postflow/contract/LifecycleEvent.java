package dev.postflow.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A public lifecycle event. The JSON body {@code {type, id, timestamp, data}} is exactly what webhook
 * receivers get; on Kafka it travels with CloudEvents headers (see {@link CloudEvents}) and the
 * workspace in the {@code ce_workspace} extension header.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LifecycleEvent(String type, String id, Instant timestamp, JsonNode data, @JsonIgnore String workspaceId) {

  public static final String POST_SCHEDULED = "post.scheduled";
  /** A post created (or edited after a rejection) with requires_approval waits for POST /approve or /reject. */
  public static final String POST_APPROVAL_REQUESTED = "post.approval_requested";
  /** Approved: post.scheduled or post.publishing comes just before it, in the same transaction. */
  public static final String POST_APPROVED = "post.approved";
  /** Rejected, with the reviewer's reason ({@code data.rejection_reason}); an edit submits it again. */
  public static final String POST_REJECTED = "post.rejected";
  public static final String POST_PUBLISHING = "post.publishing";
  public static final String POST_PUBLISHED = "post.published";
  public static final String POST_PARTIAL = "post.partial";
  public static final String POST_FAILED = "post.failed";
  public static final String POST_CANCELLED = "post.cancelled";
  /** Unpublishing was asked for: the post's published targets are being taken down. */
  public static final String POST_UNPUBLISHING = "post.unpublishing";
  /** Nothing of the post is on any platform any more (every target that was out was taken down). */
  public static final String POST_UNPUBLISHED = "post.unpublished";
  /** An edit was asked for (POST /edit): the chosen published targets are being changed on their platforms. */
  public static final String POST_EDITING = "post.editing";
  /** Every target of an edit has its answer: each is published again, edited ({@code edited_at}) or with the edit's error. */
  public static final String POST_EDITED = "post.edited";
  public static final String TARGET_PUBLISHED = "post.target.published";
  public static final String TARGET_FAILED = "post.target.failed";
  public static final String TARGET_UNCONFIRMED = "post.target.unconfirmed";
  public static final String TARGET_UNPUBLISHED = "post.target.unpublished";
  /** A target could not be taken down; it is still on its platform (published again), its error says why. */
  public static final String TARGET_UNPUBLISH_FAILED = "post.target.unpublish_failed";
  /** A target's text was changed on its platform ({@code text}, {@code edited_at}). */
  public static final String TARGET_EDITED = "post.target.edited";
  /** A target's edit was refused: it is still published with its earlier text; its error says why. */
  public static final String TARGET_EDIT_FAILED = "post.target.edit_failed";
  public static final String ACCOUNT_REAUTH_REQUIRED = "account.reauth_required";
  public static final String ACCOUNT_DISCONNECTED = "account.disconnected";
  /**
   * An active account's token expires soon (or has expired) and nothing renews it (no refresh token: LinkedIn without
   * partner refresh tokens, a token brought without one): connect the account again before then. Once per token.
   */
  public static final String ACCOUNT_TOKEN_EXPIRING = "account.token_expiring";
  public static final String WEBHOOK_TEST = "webhook.test";
  /** A webhook endpoint was disabled by delivery (410 Gone, or failing for days); data is the endpoint. */
  public static final String WEBHOOK_DISABLED = "webhook.endpoint_disabled";
}
