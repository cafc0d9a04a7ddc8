package dev.postflow.posts.post;

import java.util.Collection;
import java.util.Set;

/** Post and target statuses, and the rule that derives a post's status from its targets (contract section 4). */
public final class PostStatus {
  public static final String DRAFT = "draft";
  public static final String SCHEDULED = "scheduled";
  public static final String PUBLISHING = "publishing";
  public static final String PUBLISHED = "published";
  public static final String PARTIAL = "partial";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  public static final String UNCONFIRMED = "unconfirmed";

  /** Post statuses after which nothing happens on its own. */
  public static final Set<String> FINISHED = Set.of(PUBLISHED, PARTIAL, FAILED, CANCELLED);

  public static final Set<String> POST_STATUSES = Set.of(DRAFT, SCHEDULED, PUBLISHING, PUBLISHED, PARTIAL, FAILED, CANCELLED);

  private PostStatus() {}

  /**
   * While any target is publishing: publishing; all published: published; all failed: failed; all cancelled:
   * cancelled; any other finished mix: partial.
   */
  public static String aggregate(Collection<String> targetStatuses) {
    if (targetStatuses.contains(PUBLISHING)) return PUBLISHING;
    if (allAre(targetStatuses, PUBLISHED)) return PUBLISHED;
    if (allAre(targetStatuses, FAILED)) return FAILED;
    if (allAre(targetStatuses, CANCELLED)) return CANCELLED;
    if (allAre(targetStatuses, SCHEDULED)) return SCHEDULED;
    if (allAre(targetStatuses, DRAFT)) return DRAFT;
    return PARTIAL;
  }

  private static boolean allAre(Collection<String> statuses, String status) {
    return !statuses.isEmpty() && statuses.stream().allMatch(status::equals);
  }
}
