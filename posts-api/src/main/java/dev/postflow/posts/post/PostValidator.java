package dev.postflow.posts.post;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.posts.media.Media;

import dev.postflow.posts.account.Account;
import dev.postflow.posts.problem.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a post request and collects every problem at once, each with its field path. */
public final class PostValidator {
  public enum Mode { DRAFT, SCHEDULED, NOW }

  /** A target after merging account_ids and targets[]: the account id and the field path it came from. */
  public record TargetSpec(String accountId, String field, String overridePath, PostRequest.TargetRequest overrides) {
    /** Where a field of this target's content is reported: targets[i].text for an override, else the post's own field. */
    String path(String name, boolean overridden) {
      return overridden ? overridePath + "." + name : name;
    }
  }

  /** Sandbox behaviours of the built-in sandbox provider (contract section 7). */
  public static final Set<String> SANDBOX_OUTCOMES =
      Set.of("published", "rate_limited_then_published", "server_error_then_published", "timeout_after_publish");

  /** How the sandbox answers an unpublish of the post (its DELETE): removed (default), or as for outcome. */
  public static final Set<String> SANDBOX_UNPUBLISH_OUTCOMES = Set.of("removed", "server_error_then_removed");
  public static final Set<String> SANDBOX_EDIT_OUTCOMES = Set.of("edited", "server_error_then_edited");

  static boolean isSandboxOutcome(String outcome) {
    return SANDBOX_OUTCOMES.contains(outcome) || outcome.startsWith("failed:") && outcome.length() > "failed:".length();
  }

  public record Checked(Mode mode, Instant scheduledAt, List<TargetSpec> targets, List<FieldError> errors) {}

  private PostValidator() {}

  /** Checks that need no database: shape, times, modes, duplicates. */
  public static Checked checkShape(PostRequest request, Instant now, Duration horizon) {
    List<FieldError> errors = new ArrayList<>();
    boolean publishNow = Boolean.TRUE.equals(request.publishNow());
    boolean draft = Boolean.TRUE.equals(request.draft());
    int modes = (request.scheduledAt() != null ? 1 : 0) + (publishNow ? 1 : 0) + (draft ? 1 : 0) + (request.queueId() != null ? 1 : 0);
    if (modes > 1) {
      errors.add(FieldError.of(request.scheduledAt() != null ? "scheduled_at" : "queue_id", "conflicting_modes",
          "give only one of scheduled_at, queue_id, publish_now: true and draft: true"));
    }
    if (Boolean.TRUE.equals(request.requiresApproval()) && modes == 0 || Boolean.TRUE.equals(request.requiresApproval()) && draft) {
      errors.add(FieldError.of("requires_approval", "conflicting_modes", "a post for approval says when it goes out once approved:"
          + " scheduled_at, queue_id or publish_now: true (as soon as it is approved); a draft is not submitted"));
    }
    // queue_id: scheduled at the queue's next free slot, chosen when the post is stored (QueueService.place)
    Mode mode = draft ? Mode.DRAFT : publishNow ? Mode.NOW : request.scheduledAt() != null || request.queueId() != null ? Mode.SCHEDULED : Mode.DRAFT;

    Instant scheduledAt = null;
    if (request.scheduledAt() != null) {
      scheduledAt = parseInstant(request.scheduledAt(), "scheduled_at", errors);
      if (scheduledAt != null && modes == 1) checkScheduledAt(scheduledAt, now, horizon, errors);
    }
    if (request.timeZone() != null) {
      try {
        ZoneId.of(request.timeZone());
      } catch (Exception e) {
        errors.add(FieldError.of("time_zone", "invalid_time_zone", "time_zone must be an IANA zone such as Europe/Berlin"));
      }
    }

    List<TargetSpec> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> accountIds = request.accountIds() == null ? List.of() : request.accountIds();
    for (int i = 0; i < accountIds.size(); i++) {
      addTarget(targets, seen, errors, accountIds.get(i), "account_ids[" + i + "]", null, null);
    }
    List<PostRequest.TargetRequest> overrides = request.targets() == null ? List.of() : request.targets();
    for (int i = 0; i < overrides.size(); i++) {
      PostRequest.TargetRequest target = overrides.get(i);
      if (target == null) {
        errors.add(FieldError.of("targets[" + i + "]", "required", "a target must be an object with account_id"));
        continue;
      }
      addTarget(targets, seen, errors, target.accountId(), "targets[" + i + "].account_id", "targets[" + i + "]", target);
    }
    if (accountIds.isEmpty() && overrides.isEmpty()) {
      errors.add(FieldError.of("account_ids", "targets_required", "give at least one account in account_ids or targets"));
    }
    checkRepost(request.repost(), errors);
    if (request.externalId() != null && request.externalId().length() > 255) {
      errors.add(new FieldError("external_id", "too_long", "external_id may be at most 255 characters", 255L, (long) request.externalId().length()));
    }
    return new Checked(mode, scheduledAt, targets, errors);
  }

  /** "repost" (create or PATCH): times 1 to 10, every_days 1 to 365, both required; texts, if given, 1 to 10 texts. */
  static void checkRepost(Repost repost, List<FieldError> errors) {
    if (repost == null) return;
    if (repost.texts() != null && (repost.texts().isEmpty() || repost.texts().size() > Repost.MAX_TEXTS)) {
      errors.add(FieldError.of("repost.texts", "out_of_range", "repost.texts holds 1 to " + Repost.MAX_TEXTS + " texts (leave it out to repeat"
          + " the post's own text), not " + repost.texts().size()));
    } else if (repost.texts() != null) {
      for (int k = 0; k < repost.texts().size(); k++) {
        if (repost.texts().get(k) == null || repost.texts().get(k).isBlank()) {
          errors.add(FieldError.of("repost.texts[" + k + "]", "required", "each repost text is the whole text of a repeat"));
        }
      }
    }
    if (repost.times() == null) errors.add(FieldError.of("repost.times", "required", "repost.times: how many more times to publish the post (1 to 10)"));
    else if (repost.times() < 1 || repost.times() > Repost.MAX_TIMES) {
      errors.add(FieldError.of("repost.times", "out_of_range", "repost.times is 1 to " + Repost.MAX_TIMES + ", not " + repost.times()));
    }
    if (repost.everyDays() == null) errors.add(FieldError.of("repost.every_days", "required", "repost.every_days: days between repeats (1 to 365)"));
    else if (repost.everyDays() < 1 || repost.everyDays() > Repost.MAX_EVERY_DAYS) {
      errors.add(FieldError.of("repost.every_days", "out_of_range", "repost.every_days is 1 to " + Repost.MAX_EVERY_DAYS + ", not "
          + repost.everyDays()));
    }
  }

  /**
   * Each repost text against one target's platform, as the target's text would be (with its media and options): the
   * problems of the text, at {@code repost.texts[k]}. For targets without a text of their own (those repeat the post's).
   */
  static void checkRepostTexts(List<String> texts, String platform, PlatformRules rules, List<MediaRef> media, Map<String, Object> options,
      Map<String, MediaRef> optionMedia, List<FieldError> errors) {
    if (texts == null) return;
    for (int k = 0; k < texts.size(); k++) {
      if (texts.get(k) == null) continue;
      for (ContentCheck.Violation problem : ContentCheck.check(rules, texts.get(k), media, options, optionMedia)) {
        if (!problem.field().startsWith("text")) continue;
        FieldError error = new FieldError("repost.texts[" + k + "]", problem.code(), platform + ": " + problem.message(), problem.limit(),
            problem.actual());
        if (!errors.contains(error)) errors.add(error);
      }
    }
  }

  /**
   * Per-target checks against each account and its platform's rules (event-contract's {@link PlatformRules}, the
   * same rows the publishers use): text in the platform's unit, hashtags, mentions, links, media count, kind, size
   * and duration, and the platform's options.
   */
  public static void checkTargets(PostRequest request, List<TargetSpec> targets, Map<String, Account> accounts, Map<String, Media> media,
      List<FieldError> errors) {
    for (int i = 0; i < targets.size(); i++) {
      TargetSpec spec = targets.get(i);
      Account account = accounts.get(spec.accountId());
      if (account == null) {
        errors.add(FieldError.of(spec.field(), "account_not_found", "no account " + spec.accountId() + " in this workspace"));
        continue;
      }
      if (!Account.ACTIVE.equals(account.status)) {
        errors.add(FieldError.of(spec.field(), "account_not_active", "account " + account.id + " is " + account.status));
        continue;
      }
      PlatformRules rules = PlatformRules.of(account.platform);
      if (rules == null) {
        errors.add(FieldError.of(spec.field(), "platform_not_supported", account.platform + " is not supported"));
        continue;
      }
      boolean ownText = spec.overrides() != null && spec.overrides().text() != null;
      boolean ownMedia = spec.overrides() != null && spec.overrides().mediaIds() != null;
      boolean ownOptions = spec.overrides() != null && spec.overrides().platformOptions() != null;
      String text = ownText ? spec.overrides().text() : request.text();
      List<String> mediaIds = ownMedia ? spec.overrides().mediaIds() : request.mediaIds() == null ? List.of() : request.mediaIds();
      List<MediaRef> refs = new ArrayList<>();
      boolean mediaMissing = false;
      for (int m = 0; m < mediaIds.size(); m++) {
        Media found = mediaIds.get(m) == null ? null : media.get(mediaIds.get(m));
        if (found == null) {
          errors.add(FieldError.of(spec.path("media_ids[" + m + "]", ownMedia), "media_not_found",
              "no media " + mediaIds.get(m) + " in this workspace; upload it with POST /v1/media"));
          mediaMissing = true;
        } else {
          refs.add(found.ref(null));
        }
      }
      Object options = effectiveOptions(request, spec).get(account.platform);
      if (options != null && !(options instanceof Map<?, ?>)) {
        errors.add(FieldError.of(spec.path("platform_options." + account.platform, ownOptions), "invalid_type",
            "platform_options." + account.platform + " must be an object"));
        options = null;
      }
      if ("sandbox".equals(account.platform) && options != null) {
        checkSandboxOptions(options, spec.path("platform_options.sandbox", ownOptions), errors);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> platformOptions = options == null ? Map.of() : (Map<String, Object>) options;
      Map<String, MediaRef> optionMedia = new LinkedHashMap<>();
      for (String id : ContentCheck.optionMediaIds(platformOptions)) {
        if (media.get(id) != null) optionMedia.put(id, media.get(id).ref(null));
      }
      for (ContentCheck.Violation problem : ContentCheck.check(rules, text, refs, platformOptions, optionMedia)) {
        if (mediaMissing && problem.field().startsWith("media_ids")) continue;
        String field = problem.field();
        String path = field.startsWith("text") ? spec.path(field, ownText)
            : field.startsWith("media_ids") ? spec.path(field, ownMedia) : spec.path(field, ownOptions);
        errors.add(new FieldError(path, problem.code(), problem.message(), problem.limit(), problem.actual()));
      }
      if (!ownText && request.repost() != null) {
        checkRepostTexts(request.repost().texts(), account.platform, rules, refs, platformOptions, optionMedia, errors);
      }
    }
  }

  /** A new scheduled_at: in the future and within the horizon. */
  public static void checkScheduledAt(Instant scheduledAt, Instant now, Duration horizon, List<FieldError> errors) {
    if (!scheduledAt.isAfter(now)) {
      errors.add(FieldError.of("scheduled_at", "scheduled_at_in_past", "scheduled_at must be in the future"));
    } else if (scheduledAt.isAfter(now.plus(horizon))) {
      errors.add(new FieldError("scheduled_at", "scheduled_at_too_far",
          "scheduled_at may be at most " + horizon.toDays() + " days ahead", horizon.toDays(), null));
    }
  }

  /** Post-level platform_options merged with the target's (the target wins per platform). */
  /** The media ids the request's platform options name (a YouTube thumbnail), for the post and each target's own. */
  public static java.util.Set<String> optionMediaIds(PostRequest request) {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    if (request.platformOptions() != null) request.platformOptions().values().forEach(o -> ids.addAll(ContentCheck.optionMediaIds(o)));
    if (request.targets() != null) {
      request.targets().stream().filter(t -> t != null && t.platformOptions() != null)
          .forEach(t -> t.platformOptions().values().forEach(o -> ids.addAll(ContentCheck.optionMediaIds(o))));
    }
    return ids;
  }

  public static Map<String, Object> effectiveOptions(PostRequest request, TargetSpec spec) {
    Map<String, Object> options = new LinkedHashMap<>();
    if (request.platformOptions() != null) options.putAll(request.platformOptions());
    if (spec.overrides() != null && spec.overrides().platformOptions() != null) options.putAll(spec.overrides().platformOptions());
    return options;
  }

  private static void checkSandboxOptions(Object options, String field, List<FieldError> errors) {
    if (!(options instanceof Map<?, ?> map)) {
      errors.add(FieldError.of(field, "invalid_type", "'" + field + "' must be an object"));
      return;
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      switch (key) {
        case "outcome" -> {
          if (!(value instanceof String outcome) || !isSandboxOutcome(outcome)) {
            errors.add(FieldError.of(field + ".outcome", "invalid_option", "outcome must be one of " + SANDBOX_OUTCOMES + " or 'failed:<error code>'"));
          }
        }
        case "latency_ms" -> {
          if (!(value instanceof Integer latency) || latency < 0 || latency > 60_000) {
            errors.add(FieldError.of(field + ".latency_ms", "invalid_option", "latency_ms must be a whole number from 0 to 60000"));
          }
        }
        case "unpublish_outcome" -> checkChangeOutcome(value, field + ".unpublish_outcome", SANDBOX_UNPUBLISH_OUTCOMES, errors);
        case "edit_outcome" -> checkChangeOutcome(value, field + ".edit_outcome", SANDBOX_EDIT_OUTCOMES, errors);
        default -> errors.add(FieldError.of(field + "." + key, "unknown_field",
            "the sandbox takes outcome, latency_ms, unpublish_outcome and edit_outcome"));
      }
    }
  }

  /** The sandbox's outcome of a later delete or edit: one of {@code allowed}, or failed:&lt;code&gt;. */
  private static void checkChangeOutcome(Object value, String field, Set<String> allowed, List<FieldError> errors) {
    if (!(value instanceof String outcome) || !allowed.contains(outcome) && !(outcome.startsWith("failed:") && outcome.length() > "failed:".length())) {
      String name = field.substring(field.lastIndexOf('.') + 1);
      errors.add(FieldError.of(field, "invalid_option", name + " must be one of " + allowed + " or 'failed:<error code>'"));
    }
  }

  private static void addTarget(List<TargetSpec> targets, Set<String> seen, List<FieldError> errors, String accountId, String field,
      String overridePath, PostRequest.TargetRequest overrides) {
    if (accountId == null || accountId.isBlank()) {
      errors.add(FieldError.of(field, "required", "an account id is required"));
    } else if (!seen.add(accountId)) {
      errors.add(FieldError.of(field, "duplicate_account", "account " + accountId + " is a target more than once"));
    } else {
      targets.add(new TargetSpec(accountId, field, overridePath, overrides));
    }
  }

  /** RFC 3339 with an offset; a time without one is refused, never guessed. */
  public static Instant parseInstant(String value, String field, List<FieldError> errors) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(value);
        errors.add(FieldError.of(field, "naive_time", field + " has no offset; add Z or +02:00 (times are never guessed)"));
      } catch (DateTimeParseException notLocal) {
        errors.add(FieldError.of(field, "invalid_time", field + " must be an RFC 3339 time such as 2026-06-01T09:00:00Z"));
      }
      return null;
    }
  }
}
