package dev.postflow.publisher.platform.meta;

import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The Graph API error envelope of Instagram, Threads and Facebook ({@code {"error":{"message","type","code",
 * "error_subcode","is_transient"}}}, docs/platforms §1–3) mapped to our taxonomy. Throws for what is worth retrying.
 */
final class MetaErrors {
  private static final Set<Integer> THROTTLING = Set.of(4, 17, 32, 613);
  private static final Set<Integer> MEDIA = Set.of(2207004, 2207005, 2207009, 2207026, 2207028, 2207010, 2207057, 2207020, 36000, 36003,
      1366046);
  private static final Set<Integer> RETRY = Set.of(2207001, 2207003, 2207032, 2207053, 2207006, 2207008, 2207027);

  private MetaErrors() {}

  static ProviderOutcome failure(String platform, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject error = Http.json(response).getJsonObject("error", new JsonObject());
    int code = error.getInteger("code", 0);
    int subcode = error.getInteger("error_subcode", 0);
    String providerCode = code + (subcode == 0 ? "" : "/" + subcode);
    String message = error.getString("error_user_msg", error.getString("message", platform + " answered " + status));
    if (code == 9 && subcode == 2207042) {
      return ProviderOutcome.failed(ProviderErrors.quotaExhausted(platform, providerCode, message), status);
    }
    if (THROTTLING.contains(code) || code >= 80001 && code <= 80014) {
      throw new RateLimitedException(ProviderErrors.rateLimited(platform, providerCode, message), status, regainAccess(response));
    }
    if (code == 190) return ProviderOutcome.failed(ProviderErrors.auth(platform, providerCode, message), status);
    if (code == 10 || code == 368 || code >= 200 && code <= 299 || subcode == 2207050 || subcode == 2207051) {
      return ProviderOutcome.failed(ProviderErrors.permission(platform, providerCode, message), status);
    }
    if (MEDIA.contains(subcode) || MEDIA.contains(code)) {
      return ProviderOutcome.failed(ProviderErrors.mediaRejected(platform, providerCode, message), status);
    }
    if (code == 506) return ProviderOutcome.failed(ProviderErrors.duplicate(platform, providerCode, message), status);
    if (status >= 500 || code == 1 || code == 2 || RETRY.contains(subcode) || error.getBoolean("is_transient", false)) {
      throw new RetryableProviderException(ProviderErrors.providerError(platform, providerCode, message), status);
    }
    return ProviderOutcome.failed(ProviderErrors.content(platform, "content_rejected", providerCode, message), status);
  }

  /**
   * An error of rupload.facebook.com, where video bytes (or a file_url) go for Instagram's resumable upload and
   * Facebook's reels: {@code {"debug_info": {"retriable", "type", "message"}}}; a Graph API envelope is mapped as
   * {@link #failure}. Throws for what is worth retrying (nothing was published: the container or video waits).
   */
  static ProviderOutcome uploadFailure(String platform, HttpResponse<Buffer> response) {
    JsonObject body = Http.json(response);
    if (body.containsKey("error")) return failure(platform, response);
    JsonObject info = body.getJsonObject("debug_info", new JsonObject());
    int status = response.statusCode();
    String type = info.getString("type", String.valueOf(status));
    String message = platform + " refused the video's upload: " + info.getString("message", "HTTP " + status);
    if (status == 401 || "OAuthException".equals(type)) return ProviderOutcome.failed(ProviderErrors.auth(platform, type, message), status);
    if (status >= 500 || info.getBoolean("retriable", false)) throw new RetryableProviderException(ProviderErrors.providerError(platform, type, message), status);
    return ProviderOutcome.failed(ProviderErrors.mediaRejected(platform, type, message), status);
  }

  /**
   * The answer to {@code DELETE /{object-id}}: {"success": true}, or error 100/33 ("does not exist": deleted before,
   * in the app or by a call whose answer was lost), mean the post is gone; anything else is mapped as {@link #failure}.
   */
  static ProviderOutcome deleted(String platform, HttpResponse<Buffer> response) {
    JsonObject error = Http.json(response).getJsonObject("error", new JsonObject());
    boolean gone = response.statusCode() == 200 || error.getInteger("code", 0) == 100 && error.getInteger("error_subcode", 0) == 33;
    return gone ? ProviderOutcome.removed(response.statusCode()) : failure(platform, response);
  }

  /** Meta has no Retry-After: the usage headers carry estimated_time_to_regain_access, in minutes. */
  static Duration regainAccess(HttpResponse<Buffer> response) {
    for (String header : new String[] {"X-Business-Use-Case-Usage", "X-App-Usage"}) {
      String value = response.getHeader(header);
      if (value == null) continue;
      java.util.regex.Matcher minutes = java.util.regex.Pattern.compile("\"estimated_time_to_regain_access\"\\s*:\\s*(\\d+)").matcher(value);
      if (minutes.find()) return Duration.ofMinutes(Long.parseLong(minutes.group(1)));
    }
    return null;
  }
}
