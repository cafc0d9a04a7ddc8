package dev.postflow.posts.post;

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

  public record Checked(Mode mode, Instant scheduledAt, List<TargetSpec> targets, List<FieldError> errors) {}

  private PostValidator() {}

  /** Checks that need no database: shape, times, modes, duplicates. */
  public static Checked checkShape(PostRequest request, Instant now, Duration horizon) {
    List<FieldError> errors = new ArrayList<>();
    boolean publishNow = Boolean.TRUE.equals(request.publishNow());
    boolean draft = Boolean.TRUE.equals(request.draft());
    int modes = (request.scheduledAt() != null ? 1 : 0) + (publishNow ? 1 : 0) + (draft ? 1 : 0);
    if (modes > 1) {
      errors.add(FieldError.of("scheduled_at", "conflicting_modes",
          "give only one of scheduled_at, publish_now: true and draft: true"));
    }
    Mode mode = draft ? Mode.DRAFT : publishNow ? Mode.NOW : request.scheduledAt() != null ? Mode.SCHEDULED : Mode.DRAFT;

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
    if (request.externalId() != null && request.externalId().length() > 255) {
      errors.add(new FieldError("external_id", "too_long", "external_id may be at most 255 characters", 255L, (long) request.externalId().length()));
    }
    return new Checked(mode, scheduledAt, targets, errors);
  }

  /** Per-target checks against each account and its platform's rules. */
  public static void checkTargets(PostRequest request, List<TargetSpec> targets, Map<String, Account> accounts, List<FieldError> errors) {
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
      PlatformRules rules = PlatformRules.BY_PLATFORM.get(account.platform);
      boolean ownText = spec.overrides() != null && spec.overrides().text() != null;
      boolean ownMedia = spec.overrides() != null && spec.overrides().mediaIds() != null;
      boolean ownOptions = spec.overrides() != null && spec.overrides().platformOptions() != null;
      String text = ownText ? spec.overrides().text() : request.text();
      String textField = spec.path("text", ownText);
      String mediaField = spec.path("media_ids", ownMedia);
      List<String> media = ownMedia ? spec.overrides().mediaIds() : request.mediaIds() == null ? List.of() : request.mediaIds();
      if (rules == null) {
        errors.add(FieldError.of(spec.field(), "platform_not_supported", account.platform + " has no publisher yet"));
        continue;
      }
      checkText(rules, text, media.isEmpty(), textField, errors);
      if (media.size() > rules.maxMedia()) {
        errors.add(new FieldError(mediaField, "too_many_media",
            account.platform + " allows at most " + rules.maxMedia() + " media", (long) rules.maxMedia(), (long) media.size()));
      }
      if (!media.isEmpty()) {
        errors.add(FieldError.of(mediaField, "media_not_found",
            "media uploads are not available yet; post without media_ids"));
      }
      Object options = effectiveOptions(request, spec).get(account.platform);
      if ("sandbox".equals(account.platform) && options != null) {
        checkSandboxOptions(options, spec.path("platform_options.sandbox", ownOptions), errors);
      }
    }
  }

  /** Text rules of one platform: present unless there is media, and not longer than the platform allows. */
  public static void checkText(PlatformRules rules, String text, boolean noMedia, String field, List<FieldError> errors) {
    int length = text == null ? 0 : text.codePointCount(0, text.length());
    if ((text == null || text.isBlank()) && noMedia) {
      errors.add(FieldError.of(field, "text_required", "a post needs text or media"));
    }
    if (length > rules.maxTextCodePoints()) {
      errors.add(new FieldError(field, "text_too_long", rules.platform() + " allows at most " + rules.maxTextCodePoints()
          + " characters", (long) rules.maxTextCodePoints(), (long) length));
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
          if (!(value instanceof String outcome) || !PlatformRules.isSandboxOutcome(outcome)) {
            errors.add(FieldError.of(field + ".outcome", "invalid_option", "outcome must be one of " + PlatformRules.SANDBOX_OUTCOMES + " or 'failed:<error code>'"));
          }
        }
        case "latency_ms" -> {
          if (!(value instanceof Integer latency) || latency < 0 || latency > 60_000) {
            errors.add(FieldError.of(field + ".latency_ms", "invalid_option", "latency_ms must be a whole number from 0 to 60000"));
          }
        }
        default -> errors.add(FieldError.of(field + "." + key, "unknown_field", "the sandbox takes outcome and latency_ms"));
      }
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
