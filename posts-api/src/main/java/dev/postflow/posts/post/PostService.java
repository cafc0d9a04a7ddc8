package dev.postflow.posts.post;

import dev.postflow.posts.media.Media;
import dev.postflow.posts.media.MediaService;

import dev.postflow.contract.Ids;
import dev.postflow.posts.ListPage;
import dev.postflow.posts.account.Account;
import dev.postflow.posts.account.AccountService;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@ApplicationScoped
public class PostService {
  @Inject dev.postflow.posts.workspace.Caller caller;
  @Inject AccountService accounts;
  @Inject PostLifecycle lifecycle;
  @Inject PostJson postJson;
  @Inject MediaService mediaService;
  @Inject dev.postflow.posts.queue.QueueService queues;
  @Inject dev.postflow.posts.idempotency.Idempotency idempotency;
  @Inject Duplicates duplicates;

  @ConfigProperty(name = "postflow.schedule-horizon")
  Duration horizon;

  /** The answer of POST /v1/posts/validate. */
  public record Validation(boolean valid, List<FieldError> errors, List<FieldError> warnings) {}

  /** {@code duplicates}: the targets that would repeat another post's content (refused with 409 once nothing else is wrong). */
  private record Checked(PostValidator.Checked shape, Map<String, Account> accounts, List<FieldError> errors, List<FieldError> warnings,
                         List<FieldError> duplicates) {}

  /**
   * Every check of a create request. For a draft, problems a later PATCH can fix (the post's own text and options)
   * are warnings, not errors; they are checked again when it is scheduled or published.
   */
  private Uni<Checked> check(String workspaceId, PostRequest request) {
    if (request == null) throw new ProblemException(400, "malformed_json", "Malformed JSON", "the body must be a JSON object");
    PostValidator.Checked shape = PostValidator.checkShape(request, Instant.now(), horizon);
    List<String> accountIds = shape.targets().stream().map(PostValidator.TargetSpec::accountId).toList();
    java.util.Set<String> mediaIds = new java.util.LinkedHashSet<>();
    if (request.mediaIds() != null) mediaIds.addAll(request.mediaIds());
    if (request.targets() != null) {
      request.targets().stream().filter(t -> t != null && t.mediaIds() != null).forEach(t -> mediaIds.addAll(t.mediaIds()));
    }
    mediaIds.addAll(PostValidator.optionMediaIds(request));
    mediaIds.remove(null);
    Uni<List<Media>> mediaLookup = mediaIds.isEmpty() ? Uni.createFrom().item(List.of())
        : Panache.withSession(() -> mediaService.findAll(workspaceId, List.copyOf(mediaIds)));
    Uni<Boolean> queueFound = request.queueId() == null ? Uni.createFrom().item(true) : queues.exists(workspaceId, request.queueId());
    return accounts.findForPosting(workspaceId, accountIds).chain(found -> mediaLookup.chain(media -> queueFound.map(queueExists -> {
      Map<String, Account> byId = found.stream().collect(Collectors.toMap(a -> a.id, Function.identity()));
      Map<String, Media> mediaById = media.stream().collect(Collectors.toMap(m -> m.id, Function.identity()));
      List<FieldError> problems = new ArrayList<>(shape.errors());
      if (!queueExists) problems.add(FieldError.of("queue_id", "queue_not_found", "no queue " + request.queueId() + " in this workspace"));
      PostValidator.checkTargets(request, shape.targets(), byId, mediaById, problems);
      List<FieldError> errors = new ArrayList<>();
      List<FieldError> warnings = new ArrayList<>();
      for (FieldError problem : problems) {
        boolean fixableLater = problem.field().equals("text") || problem.field().startsWith("platform_options.")
            || problem.field().startsWith("repost.texts[");
        (shape.mode() == PostValidator.Mode.DRAFT && fixableLater ? warnings : errors).add(problem);
      }
      warnings.addAll(tokensEndingFirst(shape, byId));
      return new Checked(shape, byId, errors, warnings, List.<FieldError>of());
    }))).chain(checked -> repeats(request, checked));
  }

  /**
   * The duplicate content check of a post that goes out at a time known now (scheduled, or publish now; a queued
   * post's is checked once its slot is chosen, {@link #placed}); not of a draft, nor of one that allows duplicates.
   */
  private Uni<Checked> repeats(PostRequest request, Checked checked) {
    PostValidator.Checked shape = checked.shape();
    if (shape.mode() == PostValidator.Mode.DRAFT || request.queueId() != null || Boolean.TRUE.equals(request.allowDuplicate())
        || !checked.errors().isEmpty()) {
      return Uni.createFrom().item(checked);
    }
    List<Duplicates.Candidate> candidates = new ArrayList<>();
    for (PostValidator.TargetSpec spec : shape.targets()) {
      PostRequest.TargetRequest own = spec.overrides();
      String text = own != null && own.text() != null ? own.text() : request.text();
      List<String> media = own != null && own.mediaIds() != null ? own.mediaIds() : request.mediaIds();
      candidates.add(new Duplicates.Candidate(spec.field(), spec.accountId(), Duplicates.key(text, media)));
    }
    Instant at = shape.mode() == PostValidator.Mode.NOW ? Instant.now() : shape.scheduledAt();
    return duplicates.find(candidates, at, null)
        .map(found -> new Checked(shape, checked.accounts(), checked.errors(), checked.warnings(), found));
  }

  /** A queued post placed in its slot: refused when it repeats another post near that time. */
  private Uni<Void> placed(PostRequest request, Post post, List<PostTarget> targets) {
    return Boolean.TRUE.equals(request.allowDuplicate()) ? Uni.createFrom().voidItem() : duplicates.refuseRepeats(post, targets, post.scheduledAt, "queue_id");
  }

  /**
   * Warnings for targets whose account's token ends before the post's time and is not renewed (no refresh token): the
   * post is accepted (the account may be connected again before then), and validate says so.
   */
  private static List<FieldError> tokensEndingFirst(PostValidator.Checked shape, Map<String, Account> accounts) {
    Instant at = shape.mode() == PostValidator.Mode.NOW ? Instant.now() : shape.scheduledAt();
    if (at == null) return List.of();
    List<FieldError> warnings = new ArrayList<>();
    for (PostValidator.TargetSpec spec : shape.targets()) {
      Account account = accounts.get(spec.accountId());
      if (account == null || account.tokenEndsAt == null || !at.isAfter(account.tokenEndsAt)) continue;
      warnings.add(FieldError.of(spec.field(), "token_expires_first", "the token of account " + account.id + " (" + account.platform + ") ends at "
          + account.tokenEndsAt + ", before this post's time, and nothing renews it: connect the account again before then"));
    }
    return warnings;
  }

  @WithSession
  public Uni<Validation> validate(String workspaceId, PostRequest request) {
    return check(workspaceId, request).map(checked -> {
      List<FieldError> errors = new ArrayList<>(checked.errors());
      errors.addAll(checked.duplicates());
      return new Validation(errors.isEmpty(), errors, checked.warnings());
    });
  }

  /**
   * POST /v1/posts without an Idempotency-Key: the checks read in a session; a draft or scheduled post is stored by
   * {@link NewPostWriter} (together with posts of concurrent requests), a publish-now in its own transaction.
   */
  public Uni<PostView> create(String workspaceId, PostRequest request) {
    return Uni.createFrom().deferred(() -> check(workspaceId, request)).chain(result -> {
      NewPost created = newPost(workspaceId, request, result);
      if (created.mode() == PostValidator.Mode.NOW) {
        return Panache.withTransaction(() -> lifecycle.create(created.post(), created.targets(), created.mode(), false, created.forApproval()));
      }
      if (request.queueId() != null) {
        // the slot is chosen under the queue's lock, in the transaction that stores the post
        return Panache.withTransaction(() -> queues.place(workspaceId, request.queueId(), created.post())
            .chain(() -> placed(request, created.post(), created.targets()))
            .chain(() -> lifecycle.create(created.post(), created.targets(), created.mode(), false, created.forApproval())));
      }
      return lifecycle.create(created.post(), created.targets(), created.mode(), true, created.forApproval());
    });
  }

  /**
   * A create as POST /v1/posts answers it (201 with the post and its ETag), once per {@code idempotencyKey} when one is
   * given (a repeat answers the stored first answer, its entity the stored JSON text): for REST, bulk items and MCP. A
   * key that only submits for approval creates posts that wait for approval ({@link PostRequest#submittedForApproval}).
   */
  public Uni<jakarta.ws.rs.core.Response> createOnce(String workspaceId, String idempotencyKey, PostRequest asked) {
    PostRequest request = caller.requiresApproval() ? asked.submittedForApproval() : asked;
    if (idempotencyKey == null) return create(workspaceId, request).map(PostService::created);
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/posts", request,
        () -> createInTransaction(workspaceId, request).map(PostService::created));
  }

  private static jakarta.ws.rs.core.Response created(PostView post) {
    return jakarta.ws.rs.core.Response.status(201).entity(post).tag(String.valueOf(post.version())).build();
  }

  /** POST /v1/posts with an Idempotency-Key: checked and stored in the caller's transaction, which stores the key. */
  @WithTransaction
  public Uni<PostView> createInTransaction(String workspaceId, PostRequest request) {
    return check(workspaceId, request).chain(result -> {
      NewPost created = newPost(workspaceId, request, result);
      Uni<Void> placed = request.queueId() == null ? Uni.createFrom().voidItem()
          : queues.place(workspaceId, request.queueId(), created.post()).chain(() -> placed(request, created.post(), created.targets()));
      return placed.chain(() -> lifecycle.create(created.post(), created.targets(), created.mode(), false, created.forApproval()));
    });
  }

  private record NewPost(Post post, List<PostTarget> targets, PostValidator.Mode mode, boolean forApproval) {}

  /** The rows of a checked create request; refuses it with every error found. */
  private NewPost newPost(String workspaceId, PostRequest request, Checked result) {
    if (!result.errors().isEmpty()) throw ProblemException.validation(result.errors());
    Duplicates.refuse(result.duplicates());
    PostValidator.Checked checked = result.shape();
    Map<String, Account> byId = result.accounts();

    Instant now = Instant.now();
    Post post = new Post();
    post.id = Ids.newId("post");
    post.workspaceId = workspaceId;
    post.text = request.text();
    post.mediaIds = postJson.write(request.mediaIds() == null ? List.of() : request.mediaIds());
    post.platformOptions = postJson.write(request.platformOptions() == null ? Map.of() : request.platformOptions());
    post.scheduledAt = checked.scheduledAt();
    post.timeZone = request.timeZone();
    post.externalId = request.externalId();
    post.metadata = postJson.write(request.metadata() == null ? Map.of() : request.metadata());
    if (request.repost() != null) {
      post.repostTimes = request.repost().times();
      post.repostEveryDays = request.repost().everyDays();
      post.repostTexts = request.repost().texts() == null ? null : postJson.write(request.repost().texts());
    }
    post.createdAt = now;
    post.updatedAt = now;
    List<PostTarget> targets = new ArrayList<>();
    for (PostValidator.TargetSpec spec : checked.targets()) {
      Account account = byId.get(spec.accountId());
      PostTarget target = new PostTarget();
      target.id = Ids.newId("tgt");
      target.postId = post.id;
      target.position = targets.size();
      target.accountId = account.id;
      target.platform = account.platform;
      if (spec.overrides() != null) {
        target.text = spec.overrides().text();
        target.mediaIds = spec.overrides().mediaIds() == null ? null : postJson.write(spec.overrides().mediaIds());
        target.platformOptions = spec.overrides().platformOptions() == null ? null : postJson.write(spec.overrides().platformOptions());
      }
      target.updatedAt = now;
      targets.add(target);
    }
    return new NewPost(post, targets, checked.mode(), Boolean.TRUE.equals(request.requiresApproval()));
  }

  @WithSession
  public Uni<PostView> get(String workspaceId, String postId) {
    return Post.<Post>find("id = ?1 and workspaceId = ?2", postId, workspaceId).firstResult().chain(post -> {
      if (post == null) throw ProblemException.notFound("post " + postId);
      return PostLifecycle.targetsOf(post).map(targets -> postJson.view(post, targets));
    });
  }

  /** The filters of GET /v1/posts, already checked. */
  public record ListQuery(String status, String accountId, String platform, String externalId, String queueId, String repostOf,
      Instant scheduledFrom, Instant scheduledTo, PostCursor after, int limit) {
    /** A list request's filters as given (query parameters, or an MCP tool's arguments), checked: every bad one at once. */
    public static ListQuery parse(String status, String accountId, String platform, String externalId, String queueId, String repostOf,
        String scheduledFrom, String scheduledTo, String cursor, String limit) {
      List<FieldError> errors = new ArrayList<>();
      int size = 50;
      if (limit != null) {
        try {
          size = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
          size = -1;
        }
        if (size < 1 || size > 100) errors.add(FieldError.of("limit", "out_of_range", "limit must be a whole number from 1 to 100"));
      }
      if (status != null && !PostStatus.POST_STATUSES.contains(status)) {
        errors.add(FieldError.of("status", "invalid_value", "status must be one of " + PostStatus.POST_STATUSES));
      }
      Instant from = scheduledFrom == null ? null : PostValidator.parseInstant(scheduledFrom, "scheduled_from", errors);
      Instant to = scheduledTo == null ? null : PostValidator.parseInstant(scheduledTo, "scheduled_to", errors);
      if (!errors.isEmpty()) throw ProblemException.validation(errors);
      PostCursor after = cursor == null ? null : PostCursor.decode(cursor);
      return new ListQuery(status, accountId, platform, externalId, queueId, repostOf, from, to, after, size);
    }
  }

  /**
   * Ordered by scheduled_at, then id; posts without scheduled_at (drafts) last, by creation (ids sort by time). Read
   * as two ranges of the index post_listing (workspace_id, scheduled_at, id), so a page costs the same in a workspace
   * of any size: the scheduled posts after the cursor, then, while the page is not full, the drafts after it.
   */
  @WithSession
  public Uni<ListPage<PostView>> list(String workspaceId, ListQuery q) {
    int wanted = q.limit() + 1; // one more than the page: whether there is a next page
    boolean cursorInDrafts = q.after() != null && q.after().scheduledAt() == null;
    boolean draftsMatch = q.scheduledFrom() == null && q.scheduledTo() == null;
    Uni<List<Post>> scheduled = cursorInDrafts ? Uni.createFrom().item(List.of()) : findPosts(workspaceId, q, false, wanted);
    return scheduled.chain(posts -> posts.size() >= wanted || !draftsMatch ? Uni.createFrom().item(posts)
            : findPosts(workspaceId, q, true, wanted - posts.size()).map(drafts -> {
              List<Post> both = new ArrayList<>(posts);
              both.addAll(drafts);
              return both;
            }))
        .chain(posts -> page(posts, q.limit()));
  }

  /** The scheduled posts (or the drafts) that match the filters and come after the cursor, in list order. */
  private Uni<List<Post>> findPosts(String workspaceId, ListQuery q, boolean drafts, int limit) {
    StringBuilder query = new StringBuilder("workspaceId = :workspace");
    Map<String, Object> params = new java.util.HashMap<>(Map.of("workspace", workspaceId));
    if (q.status() != null) {
      query.append(" and status = :status");
      params.put("status", q.status());
    }
    if (q.accountId() != null) {
      query.append(" and id in (select t.postId from PostTarget t where t.accountId = :account)");
      params.put("account", q.accountId());
    }
    if (q.platform() != null) {
      query.append(" and id in (select t.postId from PostTarget t where t.platform = :platform)");
      params.put("platform", q.platform());
    }
    if (q.externalId() != null) {
      query.append(" and externalId = :externalId");
      params.put("externalId", q.externalId());
    }
    if (q.queueId() != null) {
      query.append(" and queueId = :queueId"); // post_by_queue (queue_id, scheduled_at)
      params.put("queueId", q.queueId());
    }
    if (q.repostOf() != null) {
      query.append(" and repostOf = :repostOf"); // post_by_repost_of (repost_of, scheduled_at): a chain's repeats
      params.put("repostOf", q.repostOf());
    }
    if (q.scheduledFrom() != null) {
      query.append(" and scheduledAt >= :from");
      params.put("from", q.scheduledFrom());
    }
    if (q.scheduledTo() != null) {
      query.append(" and scheduledAt < :to");
      params.put("to", q.scheduledTo());
    }
    if (drafts) {
      query.append(" and scheduledAt is null");
      if (q.after() != null && q.after().scheduledAt() == null) {
        query.append(" and id > :afterId");
        params.put("afterId", q.after().id());
      }
      query.append(" order by id");
    } else {
      query.append(" and scheduledAt is not null");
      if (q.after() != null) {
        // A row comparison, so the index range starts at the cursor itself, also inside many posts at one instant.
        query.append(" and (scheduledAt, id) > (:afterAt, :afterId)");
        params.put("afterAt", q.after().scheduledAt());
        params.put("afterId", q.after().id());
      }
      query.append(" order by scheduledAt, id");
    }
    return Post.<Post>find(query.toString(), params).page(0, limit).list();
  }

  private Uni<ListPage<PostView>> page(List<Post> posts, int limit) {
    List<Post> page = posts.size() > limit ? posts.subList(0, limit) : posts;
    String next = posts.size() > limit ? PostCursor.of(page.get(page.size() - 1)).encode() : null;
    if (page.isEmpty()) return Uni.createFrom().item(new ListPage<PostView>(List.of(), null));
    // One query for the whole page's targets, not one per post.
    return PostTarget.<PostTarget>list("postId in ?1 order by postId, position", page.stream().map(p -> p.id).toList())
        .map(targets -> {
          Map<String, List<PostTarget>> byPost = targets.stream().collect(Collectors.groupingBy(t -> t.postId));
          return new ListPage<>(page.stream().map(post -> postJson.view(post, byPost.getOrDefault(post.id, List.of()))).toList(), next);
        });
  }

  /** One provider call of a post, as GET /v1/posts/{id}/attempts shows it. */
  public record AttemptView(String targetId, int attempt, Instant startedAt, Long durationMs, String outcome, Integer httpStatus,
      String providerCode, dev.postflow.contract.TargetError error) {}

  /** Every provider call made for the post, cumulative across retries, in order. */
  @WithSession
  public Uni<List<AttemptView>> attemptLog(String workspaceId, String postId) {
    return Post.<Post>find("id = ?1 and workspaceId = ?2", postId, workspaceId).firstResult().chain(post -> {
      if (post == null) throw ProblemException.notFound("post " + postId);
      return PublishAttempt.<PublishAttempt>list("postId = ?1 order by id", postId);
    }).map(list -> list.stream()
        .map(a -> new AttemptView(a.targetId, a.attempt, a.startedAt, a.durationMs, a.outcome, a.httpStatus, a.providerCode,
            a.error == null ? null : postJson.read(a.error, dev.postflow.contract.TargetError.class)))
        .toList());
  }
}
