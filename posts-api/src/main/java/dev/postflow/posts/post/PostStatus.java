package dev.postflow.posts.post;

import java.util.Collection;
import java.util.Set;

/** Post and target statuses, and the rule that derives a post's status from its targets (contract section 4). */
public final class PostStatus {
  public static final String DRAFT = "draft";
  public static final String SCHEDULED = "scheduled";
  /** Created or edited with requires_approval: waits for POST /approve (then scheduled, or publishing) or /reject. */
  public static final String PENDING_APPROVAL = "pending_approval";
  /** Rejected by a reviewer (rejection_reason); an edit submits it for approval again, DELETE cancels it. */
  public static final String REJECTED = "rejected";
  public static final String PUBLISHING = "publishing";
  public static final String PUBLISHED = "published";
  public static final String PARTIAL = "partial";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  public static final String UNCONFIRMED = "unconfirmed";
  /** Being taken down from its platform (POST /unpublish), until the publisher answers. */
  public static final String UNPUBLISHING = "unpublishing";
  /** Taken down from its platform: it was out, and no longer is. */
  public static final String UNPUBLISHED = "unpublished";

  /** Its text is being changed on its platform (POST /edit), until the publisher answers; then published again. */
  public static final String EDITING = "editing";

  /** Post statuses after which nothing happens on its own. */
  public static final Set<String> FINISHED = Set.of(PUBLISHED, PARTIAL, FAILED, CANCELLED, UNPUBLISHED);

  public static final Set<String> POST_STATUSES = Set.of(DRAFT, SCHEDULED, PUBLISHING, PUBLISHED, PARTIAL, FAILED, CANCELLED,
      UNPUBLISHING, UNPUBLISHED, PENDING_APPROVAL, REJECTED, EDITING);

  /** Not out yet and not on its way: a request may still edit or cancel it. */
  public static final Set<String> EDITABLE = Set.of(DRAFT, SCHEDULED, PENDING_APPROVAL, REJECTED);

  private PostStatus() {}

  /**
   * While any target is publishing: publishing; while any is being taken down: unpublishing; while any is being
   * edited: editing; all published: published;
   * all failed: failed; all cancelled: cancelled; some taken down and the rest never out (failed, cancelled):
   * unpublished; any other finished mix: partial.
   */
  public static String aggregate(Collection<String> targetStatuses) {
    if (targetStatuses.contains(PUBLISHING)) return PUBLISHING;
    if (targetStatuses.contains(UNPUBLISHING)) return UNPUBLISHING;
    if (targetStatuses.contains(EDITING)) return EDITING;
    if (targetStatuses.contains(UNPUBLISHED)
        && targetStatuses.stream().allMatch(s -> UNPUBLISHED.equals(s) || FAILED.equals(s) || CANCELLED.equals(s))) return UNPUBLISHED;
    if (allAre(targetStatuses, PUBLISHED)) return PUBLISHED;
    if (allAre(targetStatuses, FAILED)) return FAILED;
    if (allAre(targetStatuses, CANCELLED)) return CANCELLED;
    if (allAre(targetStatuses, SCHEDULED)) return SCHEDULED;
    if (allAre(targetStatuses, DRAFT)) return DRAFT;
    if (allAre(targetStatuses, PENDING_APPROVAL)) return PENDING_APPROVAL;
    if (allAre(targetStatuses, REJECTED)) return REJECTED;
    return PARTIAL;
  }

  private static boolean allAre(Collection<String> statuses, String status) {
    return !statuses.isEmpty() && statuses.stream().allMatch(status::equals);
  }
}
