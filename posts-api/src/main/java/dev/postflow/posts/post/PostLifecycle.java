package dev.postflow.posts.post;

import static dev.postflow.posts.post.PostStatus.CANCELLED;
import static dev.postflow.posts.post.PostStatus.DRAFT;
import static dev.postflow.posts.post.PostStatus.EDITING;
import static dev.postflow.posts.post.PostStatus.PENDING_APPROVAL;
import static dev.postflow.posts.post.PostStatus.REJECTED;
import static dev.postflow.posts.post.PostStatus.FAILED;
import static dev.postflow.posts.post.PostStatus.PARTIAL;
import static dev.postflow.posts.post.PostStatus.PUBLISHED;
import static dev.postflow.posts.post.PostStatus.PUBLISHING;
import static dev.postflow.posts.post.PostStatus.SCHEDULED;
import static dev.postflow.posts.post.PostStatus.UNCONFIRMED;
import static dev.postflow.posts.post.PostStatus.UNPUBLISHED;
import static dev.postflow.posts.post.PostStatus.UNPUBLISHING;

import dev.postflow.contract.EditRequest;
import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.PostDue;
import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.posts.media.Media;
import dev.postflow.posts.media.MediaService;
import dev.postflow.posts.media.MediaUrls;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.ScheduleRequest;
import dev.postflow.contract.Topics;
import dev.postflow.contract.UnpublishRequest;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.posts.messaging.Outbox;
import dev.postflow.posts.messaging.OutboxMessage;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every change of a post's or a target's status happens here, under a row lock on the post, and every
 * change writes its Kafka messages to the outbox in the same transaction. Requests (cancel, edit, publish now, retry)
 * change entities in a Hibernate transaction; the Kafka consumers' batches (due hand-overs, results: hundreds of posts
 * at a time) lock and write rows through {@link PostRows}, one statement per table.
 *
 * <pre>
 * draft -> scheduled -> publishing -> published | partial | failed
 * draft | scheduled -> cancelled          (cancel)
 * draft | scheduled -> publishing          (publish now; due hand-over of the current schedule version)
 * published (a target that is out) -> unpublishing -> unpublished | back to published (unpublish)
 * published (a target) -> editing -> published, with the new text or with the edit's error (edit)
 * pending_approval -> scheduled | publishing (approve) | rejected (reject); rejected -> pending_approval (edit)
 * pending_approval | rejected -> cancelled (cancel)
 * </pre>
 */
@ApplicationScoped
public class PostLifecycle {
  @Inject Outbox outbox;
  @Inject PostJson postJson;
  @Inject MediaService mediaService;
  @Inject MediaUrls mediaUrls;
  @Inject NewPostWriter newPosts;
  @Inject PostRows rows;
  @Inject dev.postflow.posts.queue.QueueService queues;
  @Inject Duplicates duplicates;

  /**
   * Stores a new post in its first status: draft, scheduled, or publishing (publish now). Inside the caller's
   * transaction ({@code batched} false: publish now, or a request with an Idempotency-Key, whose key is stored in the
   * same transaction), or through {@link NewPostWriter} (drafts and scheduled posts of requests without a key).
   * {@code forApproval}: the post waits in pending_approval, validated like a scheduled post, with no schedule and no
   * claim until it is approved ({@link #approve}); its scheduled_at (or none: publish once approved) is kept.
   */
  Uni<PostView> create(Post post, List<PostTarget> targets, PostValidator.Mode mode, boolean batched, boolean forApproval) {
    duplicates.stamp(post, targets);
    if (forApproval) {
      post.status = PENDING_APPROVAL;
      post.version = 1;
      post.scheduleVersion = 0;
      targets.forEach(target -> target.status = PENDING_APPROVAL);
      List<OutboxMessage> messages = List.of(outbox.lifecycleEventMessage(LifecycleEvent.POST_APPROVAL_REQUESTED, post.workspaceId, post.id,
          postJson.view(post, targets)));
      if (batched) return newPosts.insert(new NewPostWriter.NewPost(post, targets, messages)).map(ignored -> postJson.view(post, targets));
      Uni<Void> saved = post.persist().replaceWithVoid();
      for (PostTarget target : targets) saved = saved.chain(() -> target.persist().replaceWithVoid());
      return saved.chain(() -> persistAll(messages)).map(ignored -> postJson.view(post, targets));
    }
    String initial = mode == PostValidator.Mode.SCHEDULED ? SCHEDULED : DRAFT;
    post.status = initial;
    post.version = 1;
    post.scheduleVersion = mode == PostValidator.Mode.SCHEDULED ? 1 : 0;
    targets.forEach(target -> target.status = initial);
    List<OutboxMessage> messages = mode != PostValidator.Mode.SCHEDULED ? List.of() : List.of(
        outbox.message(Topics.SCHEDULE_REQUESTS, post.id, new ScheduleRequest(post.id, post.scheduleVersion, post.scheduledAt), null),
        outbox.lifecycleEventMessage(LifecycleEvent.POST_SCHEDULED, post.workspaceId, post.id, postJson.view(post, targets)));
    if (batched && mode != PostValidator.Mode.NOW) {
      return newPosts.insert(new NewPostWriter.NewPost(post, targets, messages)).map(ignored -> postJson.view(post, targets));
    }
    Uni<Void> saved = post.persist().replaceWithVoid();
    for (PostTarget target : targets) saved = saved.chain(() -> target.persist().replaceWithVoid());
    return saved.chain(() -> persistAll(messages)).chain(() -> mode == PostValidator.Mode.NOW ? claim(post, targets) : Uni.createFrom().voidItem())
        .map(ignored -> postJson.view(post, targets));
  }

  /** DELETE: a draft or scheduled post is cancelled; once this committed, no publish request for it can be made. */
  @WithTransaction
  public Uni<PostView> cancel(String workspaceId, String postId, Long expectedVersion) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (!PostStatus.EDITABLE.contains(post.status)) {
        throw ProblemException.invalidState("only draft, scheduled, pending_approval or rejected posts can be cancelled; this post is " + post.status);
      }
      Uni<Void> unscheduled = leaveSchedule(post);
      targets.forEach(target -> setStatus(target, CANCELLED));
      post.status = CANCELLED;
      touch(post);
      return unscheduled.chain(() -> event(LifecycleEvent.POST_CANCELLED, post, targets)).map(ignored -> postJson.view(post, targets));
    }));
  }

  /**
   * POST /publish: a draft or scheduled post is published now; refused (409 duplicate_content) when one of its accounts
   * has a post with the same content within the window of now, unless {@code allowDuplicate}.
   */
  @WithTransaction
  public Uni<PostView> publishNow(String workspaceId, String postId, Long expectedVersion, boolean allowDuplicate) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (PENDING_APPROVAL.equals(post.status) || REJECTED.equals(post.status)) {
        throw new ProblemException(409, "approval_required", "Approval required", "this post is " + post.status
            + ": it goes out only once approved (POST /v1/posts/" + post.id + "/approve; PATCH scheduled_at null first to publish as soon as it is)");
      }
      if (!DRAFT.equals(post.status) && !SCHEDULED.equals(post.status)) {
        throw ProblemException.invalidState("only draft or scheduled posts can be published now; this post is " + post.status);
      }
      post.queueId = null; // out now: its queue slot is free for the next post
      return checkContent(post, targets)
          .chain(() -> allowDuplicate ? Uni.createFrom().voidItem() : duplicates.refuseRepeats(post, targets, Instant.now(), "post_id"))
          .chain(() -> leaveSchedule(post)).chain(() -> claim(post, targets))
          .map(ignored -> postJson.view(post, targets));
    }));
  }

  /**
   * PATCH: edits a draft or scheduled post. A new scheduled_at takes effect exactly: the schedule version is bumped,
   * so a hand-over of the old time is ignored wherever it is; scheduled_at null turns the post back into a draft.
   * {@code submitForApproval} (a key that only submits for approval): an edit that leaves the post going out (a
   * scheduled post, or a draft given a time or a queue) takes it out of the schedule and makes it wait for approval.
   */
  @WithTransaction
  public Uni<PostView> update(String workspaceId, String postId, PostPatch patch, Long expectedVersion, boolean submitForApproval) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (!PostStatus.EDITABLE.contains(post.status)) {
        throw ProblemException.invalidState("only draft, scheduled, pending_approval or rejected posts can be edited; this post is " + post.status);
      }
      if (patch.has("text")) {
        post.text = patch.text("text");
        duplicates.stamp(post, targets); // the keys follow the text, a draft's too
      }
      if (patch.has("time_zone")) post.timeZone = patch.text("time_zone");
      if (patch.has("external_id")) post.externalId = patch.text("external_id");
      if (patch.has("metadata")) post.metadata = postJson.object(patch.body.get("metadata"));
      if (patch.has("platform_options")) post.platformOptions = postJson.object(patch.body.get("platform_options"));
      if (patch.has("repost")) {
        post.repostTimes = patch.repost == null ? null : patch.repost.times();
        post.repostEveryDays = patch.repost == null ? null : patch.repost.everyDays();
        post.repostTexts = patch.repost == null || patch.repost.texts() == null ? null : postJson.write(patch.repost.texts());
      }
      if (PENDING_APPROVAL.equals(post.status) || REJECTED.equals(post.status)) return resubmit(post, targets, patch);
      boolean backToDraft = patch.has("scheduled_at") && patch.scheduledAt == null;
      boolean goesOut = SCHEDULED.equals(post.status) || patch.scheduledAt != null || patch.has("queue_id") && patch.text("queue_id") != null;
      if (submitForApproval && goesOut && !backToDraft) return leaveSchedule(post).chain(() -> resubmit(post, targets, patch));
      String queueId = patch.has("queue_id") ? patch.text("queue_id") : null;
      boolean mustBeValid = patch.scheduledAt != null || queueId != null || SCHEDULED.equals(post.status) && !(patch.has("scheduled_at"));
      Uni<Void> contentChecked = mustBeValid ? checkContent(post, targets) : Uni.createFrom().voidItem();

      Uni<Void> effects = Uni.createFrom().voidItem();
      if (patch.has("queue_id")) {
        if (queueId == null) {
          post.queueId = null; // out of its queue; its time stays
        } else {
          // into the queue's next free slot (under the queue's lock, in this transaction), scheduled like a new time
          effects = queues.place(workspaceId, queueId, post).chain(() -> schedule(post, targets));
        }
      }
      if (patch.has("scheduled_at")) {
        post.queueId = null; // a time set by hand: the post leaves its queue, and its slot is free
        if (patch.scheduledAt == null) {
          effects = leaveSchedule(post);
          post.scheduledAt = null;
          post.status = DRAFT;
          targets.forEach(target -> setStatus(target, DRAFT));
        } else {
          post.scheduledAt = patch.scheduledAt;
          effects = schedule(post, targets);
        }
      }
      touch(post);
      Uni<Void> then = effects;
      return contentChecked.chain(() -> then).chain(() -> mustBeValid ? refuseRepeats(post, targets, patch) : Uni.createFrom().voidItem())
          .map(ignored -> postJson.view(post, targets));
    }));
  }

  /**
   * An edit of a post awaiting approval, or rejected, or one a key that only submits for approval makes go out: its
   * time is only stored (scheduled_at null: as soon as it is approved; queue_id: the queue's next free slot, held for
   * it), nothing is scheduled; it must stay valid. A post not yet awaiting approval is submitted (pending_approval,
   * post.approval_requested).
   */
  private Uni<PostView> resubmit(Post post, List<PostTarget> targets, PostPatch patch) {
    Uni<Void> placed = Uni.createFrom().voidItem();
    if (patch.has("scheduled_at")) {
      post.queueId = null;
      post.scheduledAt = patch.scheduledAt;
    }
    if (patch.has("queue_id")) {
      String queueId = patch.text("queue_id");
      if (queueId == null) post.queueId = null;
      else placed = queues.place(post.workspaceId, queueId, post);
    }
    boolean submitted = !PENDING_APPROVAL.equals(post.status);
    if (submitted) {
      post.status = PENDING_APPROVAL;
      post.rejectionReason = null;
      post.reviewedBy = null;
      post.reviewedAt = null;
      targets.forEach(target -> setStatus(target, PENDING_APPROVAL));
    }
    touch(post);
    return placed.chain(() -> checkContent(post, targets)).chain(() -> refuseRepeats(post, targets, patch))
        .chain(() -> submitted ? event(LifecycleEvent.POST_APPROVAL_REQUESTED, post, targets) : Uni.createFrom().voidItem())
        .map(ignored -> postJson.view(post, targets));
  }

  /**
   * An edit that changes what a going-out post says or when: refused (409 duplicate_content) when one of its accounts has
   * a post with the same content near its new time, unless the edit allows duplicates.
   */
  private Uni<Void> refuseRepeats(Post post, List<PostTarget> targets, PostPatch patch) {
    String changed = patch.has("text") ? "text" : patch.has("scheduled_at") ? "scheduled_at" : patch.has("queue_id") ? "queue_id" : null;
    if (changed == null || patch.allowsDuplicate()) return Uni.createFrom().voidItem();
    return duplicates.refuseRepeats(post, targets, post.scheduledAt != null ? post.scheduledAt : Instant.now(), changed);
  }

  /**
   * POST /approve: a post awaiting approval is scheduled at its time, or published now when it has none. Its content is
   * checked again (an account may have been disconnected meanwhile). A time that passed while it waited is refused:
   * publishing late is not what anyone approved; set a new time (or none) and approve again.
   */
  @WithTransaction
  public Uni<PostView> approve(String workspaceId, String postId, Long expectedVersion, String reviewerKeyId) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (!PENDING_APPROVAL.equals(post.status)) {
        throw ProblemException.invalidState("only posts pending approval can be approved; this post is " + post.status);
      }
      if (post.scheduledAt != null && !post.scheduledAt.isAfter(java.time.Instant.now())) {
        throw new ProblemException(409, "scheduled_at_passed", "Its time has passed",
            "this post was to go out at " + post.scheduledAt + ", which passed while it waited for approval; PATCH a new scheduled_at"
                + " (or null: as soon as it is approved) and approve it again");
      }
      post.reviewedBy = reviewerKeyId;
      post.reviewedAt = java.time.Instant.now();
      return checkContent(post, targets).chain(() -> {
            if (post.scheduledAt != null) return schedule(post, targets);
            targets.forEach(target -> setStatus(target, SCHEDULED));
            return claim(post, targets);
          })
          .chain(() -> event(LifecycleEvent.POST_APPROVED, post, targets))
          .map(ignored -> postJson.view(post, targets));
    }));
  }

  /** POST /reject: a post awaiting approval is rejected with the reviewer's reason; an edit submits it again. */
  @WithTransaction
  public Uni<PostView> reject(String workspaceId, String postId, String reason, Long expectedVersion, String reviewerKeyId) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (!PENDING_APPROVAL.equals(post.status)) {
        throw ProblemException.invalidState("only posts pending approval can be rejected; this post is " + post.status);
      }
      post.status = REJECTED;
      post.rejectionReason = reason;
      post.reviewedBy = reviewerKeyId;
      post.reviewedAt = java.time.Instant.now();
      targets.forEach(target -> setStatus(target, REJECTED));
      touch(post);
      return event(LifecycleEvent.POST_REJECTED, post, targets).map(ignored -> postJson.view(post, targets));
    }));
  }

  /**
   * The post is due at its (new) scheduled_at: a new schedule version, so a hand-over of an older time is ignored
   * wherever it is, the scheduler told, and post.scheduled.
   */
  private Uni<Void> schedule(Post post, List<PostTarget> targets) {
    post.scheduleVersion++;
    post.status = SCHEDULED;
    targets.forEach(target -> setStatus(target, SCHEDULED));
    return outbox.add(Topics.SCHEDULE_REQUESTS, post.id, new ScheduleRequest(post.id, post.scheduleVersion, post.scheduledAt))
        .chain(() -> event(LifecycleEvent.POST_SCHEDULED, post, targets));
  }

  /**
   * The scheduler says posts are due. Only the current schedule version of a still scheduled post is claimed, so a
   * reschedule, cancel or repeated hand-over does nothing. Many hand-overs in one transaction: the posts are locked in
   * one query (in id order, so concurrent batches cannot deadlock) and their targets loaded in another; the changes are
   * written with one statement per table ({@link PostRows}). Returns how many posts were claimed.
   */
  public Uni<Integer> onDue(List<PostDue> batch) {
    List<PostDue> sorted = batch.stream().sorted(Comparator.comparing(PostDue::postId)).toList();
    return rows.inTransaction(connection -> rows.lock(connection, sorted.stream().map(PostDue::postId).toList()).chain(locked -> {
      java.util.Set<Post> due = new java.util.LinkedHashSet<>(); // a hand-over delivered twice in one batch claims once
      for (PostDue hand : sorted) {
        Post post = locked.posts().get(hand.postId());
        if (post == null || !SCHEDULED.equals(post.status) || post.scheduleVersion != hand.scheduleVersion()) {
          Log.debugf("due hand-over of %s v%d ignored (post is %s)", hand.postId(), hand.scheduleVersion(),
              post == null ? "missing" : post.status + " v" + post.scheduleVersion);
          continue;
        }
        due.add(post);
      }
      java.util.Set<String> mediaIds = new java.util.HashSet<>();
      for (Post post : due) mediaIds.addAll(mediaIdsOf(post, locked.targets(post.id), WAITING));
      return rows.media(connection, mediaIds).chain(media -> {
        java.time.Instant expires = mediaUrls.expiryFromNow();
        PostRows.Changes changes = new PostRows.Changes();
        for (Post post : due) {
          List<PostTarget> targets = locked.targets(post.id);
          Map<String, MediaRef> refs = new java.util.HashMap<>();
          for (Media m : media) if (m.workspaceId.equals(post.workspaceId)) refs.put(m.id, m.ref(mediaUrls.signedUrl(m.id, expires)));
          changes.messages.addAll(claimTargets(post, targets, WAITING, refs));
          changes.posts.add(post);
          changes.targets.addAll(targets);
        }
        return rows.save(connection, changes).replaceWith(due.size());
      });
    }));
  }

  /**
   * Publishers' results. A result is applied only when its target still waits for exactly this request, so a repeated
   * or late result never moves a target or post backwards. Many results in one transaction, locked and written like
   * due hand-overs. Returns how many were applied.
   */
  public Uni<Integer> onResults(List<PublishResult> batch) {
    List<PublishResult> sorted = batch.stream().sorted(Comparator.comparing(PublishResult::postId)).toList();
    return rows.inTransaction(connection -> rows.lock(connection, sorted.stream().map(PublishResult::postId).toList()).chain(locked -> {
      PostRows.Changes changes = new PostRows.Changes();
      int applied = 0;
      for (PublishResult result : sorted) {
        Post post = locked.posts().get(result.postId());
        if (post != null && apply(result, post, locked.targets(post.id), changes)) applied++;
      }
      int count = applied;
      return rows.save(connection, changes).replaceWith(count);
    }));
  }

  /** Applies a result to the loaded post and its targets and adds what changed to {@code changes}. */
  private boolean apply(PublishResult result, Post post, List<PostTarget> targets, PostRows.Changes changes) {
    PostTarget target = targets.stream().filter(t -> t.id.equals(result.targetId())).findFirst().orElse(null);
    boolean takingDown = result.outcome() == PublishResult.Outcome.unpublished || result.outcome() == PublishResult.Outcome.unpublish_failed;
    boolean editing = result.outcome() == PublishResult.Outcome.edited || result.outcome() == PublishResult.Outcome.edit_failed;
    String waiting = takingDown ? UNPUBLISHING : editing ? EDITING : PUBLISHING;
    if (target == null || !waiting.equals(target.status) || !Objects.equals(target.currentRequestId, result.requestId())) {
      Log.debugf("result %s ignored (target is %s)", result.requestId(), target == null ? "missing" : target.status);
      return false;
    }
    String targetEvent;
    switch (result.outcome()) {
      case unpublished -> {
        setStatus(target, UNPUBLISHED); // platform_post_id and permalink stay: they say what was taken down
        target.error = null;
        targetEvent = LifecycleEvent.TARGET_UNPUBLISHED;
      }
      case unpublish_failed -> {
        // still on the platform: back to what it was (published, or failed with its post out), saying why
        setStatus(target, target.publishedAt != null ? PUBLISHED : FAILED);
        target.error = postJson.write(result.error());
        targetEvent = LifecycleEvent.TARGET_UNPUBLISH_FAILED;
      }
      case edited -> {
        setStatus(target, PUBLISHED); // the platform shows the new text: it is the target's own from now on
        target.text = target.editText;
        target.editText = null;
        duplicates.stamp(post, List.of(target)); // later posts are compared with what the platform shows now
        target.editedAt = result.publishedAt() != null ? result.publishedAt() : Instant.now();
        target.error = null;
        targetEvent = LifecycleEvent.TARGET_EDITED;
      }
      case edit_failed -> {
        setStatus(target, PUBLISHED); // still out, with its earlier text
        target.editText = null;
        target.error = postJson.write(result.error());
        targetEvent = LifecycleEvent.TARGET_EDIT_FAILED;
      }
      case published -> {
        setStatus(target, PUBLISHED);
        target.platformPostId = result.platformPostId();
        target.permalink = result.permalink();
        target.publishedAt = result.publishedAt() != null ? result.publishedAt() : Instant.now();
        target.error = null;
        targetEvent = LifecycleEvent.TARGET_PUBLISHED;
      }
      case failed -> {
        setStatus(target, FAILED);
        target.error = postJson.write(result.error());
        if (result.platformPostId() != null) {
          // the post itself is out, what followed it was refused (a reply, a comment): the target shows where it is
          target.platformPostId = result.platformPostId();
          target.permalink = result.permalink();
        }
        targetEvent = LifecycleEvent.TARGET_FAILED;
      }
      default -> {
        setStatus(target, UNCONFIRMED);
        target.error = result.error() == null ? null : postJson.write(result.error());
        targetEvent = LifecycleEvent.TARGET_UNCONFIRMED;
      }
    }
    String before = post.status;
    post.status = PostStatus.aggregate(targets.stream().map(t -> t.status).toList());
    if ((PUBLISHED.equals(post.status) || PARTIAL.equals(post.status)) && post.publishedAt == null) {
      post.publishedAt = targets.stream().map(t -> t.publishedAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }
    touch(post);
    changes.attempts.add(attempt(result, target));
    changes.messages.add(eventMessage(targetEvent, post, targets));
    if (!before.equals(post.status)) {
      // after a failed take-down the post is published (or partial) again: the target's event says so, not a second post.published
      // after an edit (every chosen target answered) the post is published (or partial) again: post.edited, not post.published
      String postEvent = takingDown ? (UNPUBLISHED.equals(post.status) ? LifecycleEvent.POST_UNPUBLISHED : null)
          : editing ? (EDITING.equals(post.status) ? null : LifecycleEvent.POST_EDITED) : switch (post.status) {
        case PUBLISHED -> LifecycleEvent.POST_PUBLISHED;
        case PARTIAL -> LifecycleEvent.POST_PARTIAL;
        case FAILED -> LifecycleEvent.POST_FAILED;
        default -> null;
      };
      if (postEvent != null) changes.messages.add(eventMessage(postEvent, post, targets));
    }
    changes.posts.add(post);
    changes.targets.add(target);
    return true;
  }

  /**
   * POST /retry: publishes the failed targets of a failed or partial post again (and the unconfirmed ones only when
   * asked: they may exist on the platform already). Each retry is a new attempt with its own request id.
   */
  @WithTransaction
  public Uni<PostView> retry(String workspaceId, String postId, boolean includeUnconfirmed, Long expectedVersion) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (!FAILED.equals(post.status) && !PARTIAL.equals(post.status)) {
        throw ProblemException.invalidState("only failed or partial posts can be retried; this post is " + post.status);
      }
      java.util.function.Predicate<PostTarget> retried = target -> FAILED.equals(target.status)
          || includeUnconfirmed && UNCONFIRMED.equals(target.status);
      if (targets.stream().noneMatch(retried)) {
        throw ProblemException.invalidState("no target to retry" + (includeUnconfirmed ? "" : " (unconfirmed targets need include_unconfirmed: true)"));
      }
      return claim(post, targets, retried).map(ignored -> postJson.view(post, targets));
    }));
  }

  /**
   * POST /unpublish: takes the post's targets that are out (published, or failed with their post out: a thread stopped
   * at a reply) down from their platforms, or only those named in {@code targetIds}. Refused as a whole (400, validation_failed) when a
   * chosen target's platform has no delete (Instagram, TikTok), so nothing is half done by surprise; and (409) while
   * the post is still publishing or already being taken down, or when nothing of it is out.
   */
  @WithTransaction
  public Uni<PostView> unpublish(String workspaceId, String postId, List<String> targetIds, Long expectedVersion) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (PUBLISHING.equals(post.status) || UNPUBLISHING.equals(post.status) || EDITING.equals(post.status)) {
        throw ProblemException.invalidState("this post is " + post.status + "; unpublish it once that has finished");
      }
      List<PostTarget> chosen = new java.util.ArrayList<>();
      List<FieldError> errors = new java.util.ArrayList<>();
      if (targetIds == null) {
        targets.stream().filter(PostLifecycle::isOut).forEach(chosen::add);
      } else {
        for (int i = 0; i < targetIds.size(); i++) {
          String id = targetIds.get(i);
          PostTarget target = targets.stream().filter(t -> t.id.equals(id)).findFirst().orElse(null);
          if (target == null) {
            errors.add(FieldError.of("target_ids[" + i + "]", "not_found", "this post has no target " + id));
          } else if (!isOut(target)) {
            errors.add(FieldError.of("target_ids[" + i + "]", "not_published", "target " + id + " is " + target.status
                + (UNCONFIRMED.equals(target.status) ? " (its post id is unknown; check the account and delete it there)" : "")
                + "; only a target whose post is out can be unpublished"));
          } else if (!chosen.contains(target)) {
            chosen.add(target);
          }
        }
      }
      for (PostTarget target : chosen) {
        String refusal = PlatformRules.unpublishRefusal(target.platform);
        if (refusal != null) {
          errors.add(FieldError.of("targets[" + target.position + "]", "unpublish_not_supported", refusal
              + (targetIds == null ? "; name the other targets in target_ids to unpublish those" : "")));
        }
      }
      if (!errors.isEmpty()) throw ProblemException.validation(errors);
      if (chosen.isEmpty()) throw ProblemException.invalidState("nothing of this post is on a platform (it is " + post.status + ")");
      List<OutboxMessage> messages = new java.util.ArrayList<>();
      for (PostTarget target : chosen) {
        setStatus(target, UNPUBLISHING);
        target.attempts++;
        target.currentRequestId = target.id + "." + target.attempts;
        target.error = null;
        messages.add(unpublishRequest(post, target));
      }
      post.status = PostStatus.aggregate(targets.stream().map(t -> t.status).toList());
      touch(post);
      messages.add(eventMessage(LifecycleEvent.POST_UNPUBLISHING, post, targets));
      return persistAll(messages).map(ignored -> postJson.view(post, targets));
    }));
  }

  /**
   * POST /edit: the text of the post's published targets (every one on a platform that can edit, or those in
   * {@code targetIds}) is changed on their platforms, checked first against each one's rules. Each chosen target is
   * editing until its platform answered: edited (the new text becomes the target's own, edited_at) or edit_failed
   * (still published with its earlier text, the error says why). A thread's replies and first comments keep theirs.
   */
  @WithTransaction
  public Uni<PostView> edit(String workspaceId, String postId, String text, List<String> targetIds, Long expectedVersion) {
    return lock(workspaceId, postId).chain(post -> targetsOf(post).chain(targets -> {
      checkVersion(post, expectedVersion);
      if (!PUBLISHED.equals(post.status) && !PARTIAL.equals(post.status)) {
        throw ProblemException.invalidState("only a published post's text can be edited on its platforms; this post is " + post.status
            + (PostStatus.EDITABLE.contains(post.status) ? " (change it with PATCH /v1/posts/" + post.id + ")" : ""));
      }
      List<PostTarget> chosen = new java.util.ArrayList<>();
      List<FieldError> errors = new java.util.ArrayList<>();
      if (targetIds == null) {
        targets.stream().filter(t -> PUBLISHED.equals(t.status) && PlatformRules.editRefusal(t.platform) == null).forEach(chosen::add);
        if (chosen.isEmpty()) {
          throw ProblemException.invalidState("none of this post's published targets is on a platform whose API can edit a post ("
              + String.join(", ", new java.util.TreeSet<>(PlatformRules.EDIT_PLATFORMS)) + ")");
        }
      } else {
        for (int i = 0; i < targetIds.size(); i++) {
          String id = targetIds.get(i);
          PostTarget target = targets.stream().filter(t -> t.id.equals(id)).findFirst().orElse(null);
          if (target == null) {
            errors.add(FieldError.of("target_ids[" + i + "]", "not_found", "this post has no target " + id));
          } else if (!PUBLISHED.equals(target.status)) {
            errors.add(FieldError.of("target_ids[" + i + "]", "not_published", "target " + id + " is " + target.status
                + "; only a published target can be edited"));
          } else if (PlatformRules.editRefusal(target.platform) != null) {
            errors.add(FieldError.of("target_ids[" + i + "]", "edit_not_supported", PlatformRules.editRefusal(target.platform)));
          } else if (!chosen.contains(target)) {
            chosen.add(target);
          }
        }
      }
      if (!errors.isEmpty()) throw ProblemException.validation(errors);
      return checkContent(post, chosen, text).chain(() -> {
        List<OutboxMessage> messages = new java.util.ArrayList<>();
        for (PostTarget target : chosen) {
          setStatus(target, EDITING);
          target.attempts++;
          target.currentRequestId = target.id + "." + target.attempts;
          target.editText = text;
          target.error = null;
          messages.add(editRequest(post, target));
        }
        post.status = PostStatus.aggregate(targets.stream().map(t -> t.status).toList());
        touch(post);
        messages.add(eventMessage(LifecycleEvent.POST_EDITING, post, targets));
        return persistAll(messages).map(ignored -> postJson.view(post, targets));
      });
    }));
  }

  /** A target whose post is on its platform: published, or failed after its post went out (it names the post). */
  private static boolean isOut(PostTarget target) {
    return PUBLISHED.equals(target.status) || FAILED.equals(target.status) && target.platformPostId != null;
  }

  /** Targets a claim publishes: those not yet sent (publish now, due hand-over). */
  private static final java.util.function.Predicate<PostTarget> WAITING = target -> SCHEDULED.equals(target.status) || DRAFT.equals(target.status);

  /** Marks every waiting target as publishing and asks a publisher for each, keyed by account to keep its order. */
  private Uni<Void> claim(Post post, List<PostTarget> targets) {
    return claim(post, targets, WAITING);
  }

  /** The same inside a Hibernate transaction (publish now, retry): the changed entities are flushed at its end. */
  private Uni<Void> claim(Post post, List<PostTarget> targets, java.util.function.Predicate<PostTarget> which) {
    return mediaRefs(post.workspaceId, mediaIdsOf(post, targets, which)).chain(media -> persistAll(claimTargets(post, targets, which, media)));
  }

  /** Outbox messages of a Hibernate transaction, in order; the requests among them are watched (RequestWatch). */
  private static Uni<Void> persistAll(List<OutboxMessage> messages) {
    return persistAll(messages, 0);
  }

  private static Uni<Void> persistAll(List<OutboxMessage> messages, int resends) {
    Uni<Void> persisted = Uni.createFrom().voidItem();
    for (OutboxMessage message : messages) persisted = persisted.chain(() -> message.persist().replaceWithVoid());
    return persisted.chain(() -> RequestWatch.record(messages, resends));
  }

  /**
   * The claim itself: each chosen target becomes publishing with a new request id, the post becomes publishing; returns
   * the messages this causes (a publish request per target, then post.publishing), in order.
   */
  private List<OutboxMessage> claimTargets(Post post, List<PostTarget> targets, java.util.function.Predicate<PostTarget> which,
                                           Map<String, MediaRef> media) {
    List<OutboxMessage> messages = new java.util.ArrayList<>();
    for (PostTarget target : targets.stream().filter(which).toList()) {
      setStatus(target, PUBLISHING);
      target.attempts++;
      target.currentRequestId = target.id + "." + target.attempts;
      target.error = null;
      // platform_post_id and permalink stay: a retried target whose post is out (a reply or comment refused) still names it
      messages.add(publishRequest(post, target, media));
    }
    post.status = PUBLISHING;
    touch(post);
    messages.add(eventMessage(LifecycleEvent.POST_PUBLISHING, post, targets));
    return messages;
  }

  /** The publish request for the target's current request id, watched until answered. */
  private OutboxMessage publishRequest(Post post, PostTarget target, Map<String, MediaRef> media) {
    List<String> ids = mediaIdsOf(post, target);
    Map<String, Object> options = optionsFor(post, target);
    Map<String, MediaRef> optionMedia = new java.util.LinkedHashMap<>();
    for (String id : ContentCheck.optionMediaIds(options)) if (media.get(id) != null) optionMedia.put(id, media.get(id));
    PublishRequest request = new PublishRequest(target.currentRequestId, post.id, target.id, post.workspaceId, target.accountId,
        target.platform, target.attempts, target.text != null ? target.text : post.text, ids, options,
        ids.stream().map(media::get).filter(java.util.Objects::nonNull).toList(), optionMedia.isEmpty() ? null : optionMedia);
    return outbox.message(Topics.PUBLISH_REQUESTS, target.accountId, request, null).watched(target.currentRequestId);
  }

  /** The unpublish request for the target's current request id, watched until answered. */
  private OutboxMessage unpublishRequest(Post post, PostTarget target) {
    UnpublishRequest request = new UnpublishRequest(target.currentRequestId, post.id, target.id, post.workspaceId, target.accountId,
        target.platform, target.attempts, target.platformPostId, optionsFor(post, target));
    return outbox.message(Topics.UNPUBLISH_REQUESTS, target.accountId, request, null).watched(target.currentRequestId);
  }

  /** The edit request (to the target's edit_text) for its current request id, watched until answered. */
  private OutboxMessage editRequest(Post post, PostTarget target) {
    EditRequest request = new EditRequest(target.currentRequestId, post.id, target.id, post.workspaceId, target.accountId, target.platform,
        target.attempts, target.platformPostId, target.editText, optionsFor(post, target));
    return outbox.message(Topics.EDIT_REQUESTS, target.accountId, request, null).watched(target.currentRequestId);
  }

  /**
   * Requests of this post that have had no answer for resend-after ({@link RequestWatch}): each target that still waits
   * for one of them (publishing, unpublishing or editing, with that request id) is sent the same request again, with
   * the same id, rebuilt from what the target holds (fresh signed media links). Nothing else changes: the status stays
   * and no event is sent. The copies are watched again, {@code resends} counting them. Returns how many were sent.
   */
  Uni<Integer> resend(String postId, java.util.Set<String> requestIds, int resends) {
    return Post.<Post>find("id", postId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
        .chain(post -> post == null ? Uni.createFrom().item(0) : targetsOf(post).chain(targets -> {
          List<PostTarget> waiting = targets.stream().filter(t -> requestIds.contains(t.currentRequestId)
              && (PUBLISHING.equals(t.status) || UNPUBLISHING.equals(t.status) || EDITING.equals(t.status))).toList();
          return mediaRefs(post.workspaceId, mediaIdsOf(post, waiting, t -> PUBLISHING.equals(t.status))).chain(media -> {
            List<OutboxMessage> messages = new java.util.ArrayList<>();
            for (PostTarget target : waiting) {
              messages.add(PUBLISHING.equals(target.status) ? publishRequest(post, target, media)
                  : UNPUBLISHING.equals(target.status) ? unpublishRequest(post, target) : editRequest(post, target));
            }
            return persistAll(messages, resends).replaceWith(messages.size());
          });
        }));
  }

  /**
   * The media ids the target's options name (a YouTube thumbnail, a thread's replies' media); most posts have none,
   * so their options are parsed only when they mention media at all.
   */
  private List<String> optionMediaIdsOf(Post post, PostTarget target) {
    boolean named = post.platformOptions != null && post.platformOptions.contains("med_")
        || target.platformOptions != null && target.platformOptions.contains("med_");
    return named ? ContentCheck.optionMediaIds(optionsFor(post, target)) : List.of();
  }

  /** The media the chosen targets send: their own (or the post's) and those their options name. */
  private java.util.Set<String> mediaIdsOf(Post post, List<PostTarget> targets, java.util.function.Predicate<PostTarget> which) {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    for (PostTarget target : targets) {
      if (!which.test(target)) continue;
      ids.addAll(mediaIdsOf(post, target));
      ids.addAll(optionMediaIdsOf(post, target));
    }
    return ids;
  }

  private List<String> mediaIdsOf(Post post, PostTarget target) {
    return target.mediaIds != null ? postJson.list(target.mediaIds) : postJson.list(post.mediaIds);
  }

  /** What the publishers need of each media file, with a signed link to its bytes. */
  private Uni<Map<String, MediaRef>> mediaRefs(String workspaceId, java.util.Set<String> ids) {
    if (ids.isEmpty()) return Uni.createFrom().item(Map.of());
    java.time.Instant expires = mediaUrls.expiryFromNow();
    return mediaService.findAll(workspaceId, List.copyOf(ids)).map(found -> {
      Map<String, MediaRef> refs = new java.util.HashMap<>();
      for (Media m : found) {
        refs.put(m.id, m.ref(mediaUrls.signedUrl(m.id, expires)));
      }
      return refs;
    });
  }

  /** A post that leaves "scheduled" tells the scheduler it is no longer due. */
  private Uni<Void> leaveSchedule(Post post) {
    if (!SCHEDULED.equals(post.status)) return Uni.createFrom().voidItem();
    post.scheduleVersion++;
    return outbox.add(Topics.SCHEDULE_REQUESTS, post.id, new ScheduleRequest(post.id, post.scheduleVersion, null));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> optionsFor(Post post, PostTarget target) {
    Map<String, Object> merged = new java.util.LinkedHashMap<>(postJson.map(post.platformOptions));
    if (target.platformOptions != null) merged.putAll(postJson.map(target.platformOptions));
    Object own = merged.get(target.platform);
    return own instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private PublishAttempt attempt(PublishResult result, PostTarget target) {
    PublishAttempt attempt = new PublishAttempt();
    attempt.postId = result.postId();
    attempt.targetId = result.targetId();
    attempt.requestId = result.requestId();
    attempt.attempt = target.attempts;
    attempt.startedAt = result.startedAt();
    attempt.durationMs = result.durationMs();
    attempt.outcome = result.outcome().name();
    attempt.httpStatus = result.httpStatus();
    attempt.providerCode = result.error() == null ? null : result.error().providerCode();
    attempt.error = result.error() == null ? null : postJson.write(result.error());
    return attempt;
  }

  private Uni<Void> event(String type, Post post, List<PostTarget> targets) {
    return eventMessage(type, post, targets).persist().replaceWithVoid();
  }

  private OutboxMessage eventMessage(String type, Post post, List<PostTarget> targets) {
    return outbox.lifecycleEventMessage(type, post.workspaceId, post.id, postJson.view(post, targets));
  }

  private static Uni<Post> lock(String workspaceId, String postId) {
    return Post.<Post>find("id = ?1 and workspaceId = ?2", postId, workspaceId).withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult().map(post -> {
          if (post == null) throw ProblemException.notFound("post " + postId);
          return post;
        });
  }

  static Uni<List<PostTarget>> targetsOf(Post post) {
    return PostTarget.list("postId = ?1 order by position", post.id);
  }

  /** Each target's content against its platform's rules, before it may be scheduled or published (drafts may wait). */
  private Uni<Void> checkContent(Post post, List<PostTarget> targets) {
    return checkContent(post, targets, null);
  }

  /**
   * {@code newText} (POST /edit): that text against every target's rules, with its media and options, and only its
   * problems, at "text" with the platform named, instead of everything.
   */
  private Uni<Void> checkContent(Post post, List<PostTarget> targets, String newText) {
    java.util.Set<String> ids = mediaIdsOf(post, targets, target -> true);
    return mediaService.findAll(post.workspaceId, List.copyOf(ids)).map(found -> {
      Map<String, Media> byId = new java.util.HashMap<>();
      found.forEach(m -> byId.put(m.id, m));
      List<FieldError> errors = new java.util.ArrayList<>();
      for (PostTarget target : targets) {
        dev.postflow.contract.platform.PlatformRules rules = dev.postflow.contract.platform.PlatformRules.of(target.platform);
        if (rules == null) continue;
        String prefix = target.text == null && target.mediaIds == null && target.platformOptions == null ? "" : "targets[" + target.position + "].";
        List<MediaRef> media = new java.util.ArrayList<>();
        for (String id : mediaIdsOf(post, target)) {
          Media m = byId.get(id);
          if (m == null) {
            if (newText == null) errors.add(FieldError.of(prefix + "media_ids", "media_not_found", "media " + id + " no longer exists"));
          } else {
            media.add(m.ref(null));
          }
        }
        String text = newText != null ? newText : target.text != null ? target.text : post.text;
        Map<String, Object> options = optionsFor(post, target);
        Map<String, MediaRef> optionMedia = new java.util.HashMap<>();
        for (String id : ContentCheck.optionMediaIds(options)) if (byId.get(id) != null) optionMedia.put(id, byId.get(id).ref(null));
        for (var problem : ContentCheck.check(rules, text, media, options, optionMedia)) {
          if (newText == null) {
            errors.add(new FieldError(prefix + problem.field(), problem.code(), problem.message(), problem.limit(), problem.actual()));
          } else if (problem.field().startsWith("text")) {
            errors.add(new FieldError(problem.field(), problem.code(), target.platform + ": " + problem.message(), problem.limit(), problem.actual()));
          }
        }
        if (newText != null) continue;
        if (target.text == null && post.repostTexts != null) {
          PostValidator.checkRepostTexts(postJson.list(post.repostTexts), target.platform, rules, media, options, optionMedia, errors);
        }
      }
      if (!errors.isEmpty()) throw ProblemException.validation(errors.stream().distinct().toList());
      return null;
    }).replaceWithVoid();
  }

  /** If-Match: the caller's version must be the current one (412 otherwise). */
  private static void checkVersion(Post post, Long expectedVersion) {
    if (expectedVersion != null && expectedVersion != post.version) {
      throw new ProblemException(412, "version_conflict", "Version conflict",
          "the post is at version " + post.version + ", not " + expectedVersion + "; GET it and try again");
    }
  }

  private static void setStatus(PostTarget target, String status) {
    target.status = status;
    target.updatedAt = Instant.now();
  }

  private static void touch(Post post) {
    post.version++;
    post.updatedAt = Instant.now();
  }
}
