package dev.postflow.publisher.platform;

import dev.postflow.contract.TargetError;

/** Our error taxonomy (contract section 4): each provider answer maps to a code, category, retryable and action. */
public final class ProviderErrors {
  private ProviderErrors() {}

  /** Maps an HTTP error answer of a platform. */
  public static TargetError fromHttp(String platform, int status, String providerCode, String message) {
    String code = providerCode == null ? "http_" + status : providerCode;
    String detail = message == null ? platform + " answered " + status : message;
    if (status == 401 || code.contains("token")) {
      return new TargetError(code, "auth", detail, false, providerCode, "Reconnect the " + platform + " account, then retry the post.");
    }
    if (status == 403) {
      return new TargetError(code, "permission", detail, false, providerCode, "Grant the missing permission on " + platform + ", then retry.");
    }
    if (status == 429) {
      return new TargetError("rate_limited", "rate_limit", detail, true, providerCode, "Wait for the platform's limit to reset; retried automatically.");
    }
    if (status >= 500) {
      return new TargetError("provider_error", "provider", detail, true, providerCode, "The platform failed; retried automatically.");
    }
    return new TargetError(code, "content", detail, false, providerCode, "Fix the post's content for " + platform + ", then retry.");
  }

  public static final String TOKEN_INVALID = "token_invalid";

  /** The token was rejected (expired, revoked): the account must be reconnected. */
  public static TargetError auth(String platform, String providerCode, String message) {
    return new TargetError(TOKEN_INVALID, "auth", message, false, providerCode, "Reconnect the " + platform + " account, then retry the post.");
  }

  /** The token was rejected and its refresh refused for good (invalid_grant): the account is reauth_required now. */
  public static TargetError refreshRefused(String platform, TargetError rejection, String reason) {
    return new TargetError(TOKEN_INVALID, "auth", rejection.message() + "; refreshing the token was refused too (" + reason
        + "), so the account now needs to be reconnected", false, rejection.providerCode(),
        "Reconnect the " + platform + " account, then retry the post.");
  }

  /** The token was rejected and the platform's token endpoint could not refresh it for now: retried automatically. */
  public static TargetError refreshFailed(String platform, TargetError rejection, String reason) {
    return new TargetError("token_refresh_failed", "auth", rejection.message() + "; refreshing the token failed for now (" + reason + ")",
        true, rejection.providerCode(), "Retried automatically; if it keeps failing, reconnect the " + platform + " account.");
  }

  public static TargetError permission(String platform, String providerCode, String message) {
    return new TargetError("permission_denied", "permission", message, false, providerCode,
        "Grant the missing permission (scope or role) on " + platform + ", then retry.");
  }

  /** The platform refused the content: fix it, then retry. */
  public static TargetError content(String platform, String code, String providerCode, String message) {
    return new TargetError(code, "content", message, false, providerCode, "Fix the post's content for " + platform + ", then retry.");
  }

  public static TargetError rateLimited(String platform, String providerCode, String message) {
    return new TargetError("rate_limited", "rate_limit", message, true, providerCode,
        "Wait for " + platform + "'s limit to reset; retried automatically.");
  }

  /** A limit that resets only later (a daily publishing cap): not retried automatically. */
  public static TargetError quotaExhausted(String platform, String providerCode, String message) {
    return new TargetError("quota_exhausted", "rate_limit", message, false, providerCode,
        "The account's publishing limit on " + platform + " is used up; retry after it resets.");
  }

  public static TargetError providerError(String platform, String providerCode, String message) {
    return new TargetError("provider_error", "provider", message, true, providerCode, platform + " failed; retried automatically.");
  }

  /** Media the platform could not take (format, size, processing failed). */
  public static TargetError mediaRejected(String platform, String providerCode, String message) {
    return new TargetError("media_invalid", "content", message, false, providerCode,
        "Check the media against " + platform + "'s rules (format, size, dimensions, duration), then retry.");
  }

  /** The platform refused the post as a duplicate and we could not find the earlier one. */
  public static TargetError duplicate(String platform, String providerCode, String message) {
    return new TargetError("duplicate_content", "content", message, false, providerCode,
        platform + " refuses identical content posted recently; change the text or check whether it was already published.");
  }

  public static TargetError network(String platform, String message) {
    return new TargetError("network_error", "network", message, true, null, "Could not reach " + platform + "; retried automatically.");
  }

  public static TargetError unavailable(String platform) {
    return new TargetError("provider_unavailable", "provider", platform + " is failing; calls are paused (circuit open)", true, null,
        "Retry the post once the platform recovers.");
  }

  public static TargetError outcomeUnknown(String platform) {
    return new TargetError("outcome_unknown", "network",
        "the call to " + platform + " timed out after it was sent and the platform could not confirm whether the post exists",
        false, null, "Check the account on " + platform + "; if the post is missing, retry with include_unconfirmed.");
  }

  public static TargetError accountNotActive(String status) {
    return new TargetError("account_" + status, "auth", "the account is " + status, false, null, "Reconnect the account, then retry.");
  }

  public static TargetError unpublishNotSupported(String platform) {
    String refusal = dev.postflow.contract.platform.PlatformRules.unpublishRefusal(platform);
    return new TargetError("unpublish_not_supported", "validation", refusal == null ? platform + " cannot unpublish here" : refusal, false, null,
        "Delete the post on " + platform + " itself.");
  }

  public static TargetError editNotSupported(String platform) {
    String refusal = dev.postflow.contract.platform.PlatformRules.editRefusal(platform);
    return new TargetError("edit_not_supported", "validation", refusal == null ? platform + " cannot edit here" : refusal, false, null,
        "Edit the post on " + platform + " itself.");
  }

  /** A post the platform no longer has (deleted there): its text cannot be changed. */
  public static TargetError editedPostGone(String platform) {
    return new TargetError("post_not_found", "validation", "the post is no longer on " + platform + " (deleted there?)", false, null,
        "Publish the post again if it should be there.");
  }

  public static TargetError platformNotSupported(String platform) {
    return new TargetError("platform_not_supported", "system", "no publisher for " + platform + " is enabled here", false, null,
        "Enable the " + platform + " publisher in publisher-service's configuration.");
  }

  public static TargetError system(String message) {
    return new TargetError("internal_error", "system", message, false, null, "Report this to the operator; the logs have details.");
  }
}
