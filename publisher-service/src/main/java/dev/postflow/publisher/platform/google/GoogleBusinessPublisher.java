package dev.postflow.publisher.platform.google;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Google Business Profile local posts (docs/platforms §11): {@code POST /v4/{accounts/…/locations/…}/localPosts} with
 * summary, topicType, callToAction and one photo by sourceUrl (Google pulls the signed link). A post Google's content
 * policy refuses comes back with state REJECTED: a failure, not a publication. No idempotency: a lost answer is
 * looked for among the location's posts created since the first attempt.
 */
@ApplicationScoped
public class GoogleBusinessPublisher implements PlatformPublisher {
  static final String PLATFORM = "google_business";

  @Inject WebClient http;
  @Inject TargetHandles handles;

  @ConfigProperty(name = "postflow.platforms.google_business.base-url", defaultValue = "https://mybusiness.googleapis.com")
  String baseUrl;

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("google-business-publish")
  @Timeout(value = 1, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    Map<String, Object> options = request.platformOptions() == null ? Map.of() : request.platformOptions();
    JsonObject post = new JsonObject().put("languageCode", String.valueOf(options.getOrDefault("language_code", "en")))
        .put("summary", request.text()).put("topicType", String.valueOf(options.getOrDefault("topic_type", "STANDARD")));
    if (options.get("call_to_action") != null) {
      JsonObject action = new JsonObject().put("actionType", options.get("call_to_action"));
      if (options.get("call_to_action_url") != null) action.put("url", options.get("call_to_action_url"));
      post.put("callToAction", action);
    }
    if (options.get("event_title") != null) post.put("event", event(options));
    if ("OFFER".equals(options.get("topic_type"))) {
      JsonObject offer = new JsonObject();
      if (options.get("offer_coupon_code") != null) offer.put("couponCode", options.get("offer_coupon_code"));
      if (options.get("offer_redeem_url") != null) offer.put("redeemOnlineUrl", options.get("offer_redeem_url"));
      if (options.get("offer_terms") != null) offer.put("termsConditions", options.get("offer_terms"));
      post.put("offer", offer);
    }
    if (!request.mediaOrEmpty().isEmpty()) {
      MediaRef photo = request.mediaOrEmpty().get(0);
      post.put("media", new JsonArray().add(new JsonObject().put("mediaFormat", "PHOTO").put("sourceUrl", photo.url())));
    }
    return handles.getOrCreate(request.targetId(), "first_attempt_at", () -> Instant.now().minusSeconds(5).toString())
        .chain(ignored -> Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/v4/" + account.externalId() + "/localPosts")
            .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(post), PLATFORM))
        .map(response -> response.statusCode() == 200 ? outcome(Http.json(response)) : failure(response));
  }

  /**
   * An EVENT's or OFFER's event: its title and schedule, Google's Date and TimeOfDay objects. A day without a time
   * leaves the time out (the whole day); the times are the location's own, as Google shows them.
   */
  static JsonObject event(Map<String, Object> options) {
    JsonObject schedule = new JsonObject();
    String[] ends = {"start", "end"};
    for (String end : ends) {
      String text = String.valueOf(options.get("event_" + end));
      java.time.LocalDateTime at = ContentCheck.eventTime(text, "event_" + end, null);
      schedule.put(end + "Date", new JsonObject().put("year", at.getYear()).put("month", at.getMonthValue()).put("day", at.getDayOfMonth()));
      if (text.length() > 10) {
        schedule.put(end + "Time", new JsonObject().put("hours", at.getHour()).put("minutes", at.getMinute()).put("seconds", 0).put("nanos", 0));
      }
    }
    return new JsonObject().put("title", options.get("event_title")).put("schedule", schedule);
  }

  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return handles.get(request.targetId(), "first_attempt_at").chain(since -> http.getAbs(baseUrl + "/v4/" + account.externalId() + "/localPosts")
        .addQueryParam("pageSize", "100").putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            failure(response);
            throw new IllegalStateException("Google answered " + response.statusCode() + " to the posts lookup");
          }
          JsonArray posts = Http.json(response).getJsonArray("localPosts", new JsonArray());
          for (int i = 0; i < posts.size(); i++) {
            JsonObject post = posts.getJsonObject(i);
            boolean recent = since == null || !Instant.parse(post.getString("createTime")).isBefore(Instant.parse(since));
            if (recent && String.valueOf(request.text()).equals(post.getString("summary"))) return Optional.of(outcome(post));
          }
          return Optional.<ProviderOutcome>empty();
        }));
  }

  private static ProviderOutcome outcome(JsonObject post) {
    if ("REJECTED".equals(post.getString("state"))) {
      return ProviderOutcome.failed(new dev.postflow.contract.TargetError("content_rejected", "content",
          "Google rejected the post under its content policies", false, "REJECTED",
          "Edit the post (phone numbers and some links are often refused), then retry."), 200);
    }
    String name = post.getString("name");
    return ProviderOutcome.published(name, post.getString("searchUrl"), 200);
  }

  /** Google errors {"error":{"code","message","status"}}. */
  /** {@code DELETE /v4/{name}} of the local post (accounts/…/locations/…/localPosts/…; 404 is gone already). */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.deleteAbs(baseUrl + "/v4/" + request.platformPostId())
        .putHeader("Authorization", "Bearer " + account.accessToken()).send(), PLATFORM)
        .map(response -> Http.removed(response, GoogleBusinessPublisher::failure));
  }

  /** {@code PATCH localPosts/{id}?updateMask=summary} with the new {@code summary}; answered 200 with the local post. */
  @Override
  public Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.patchAbs(baseUrl + "/v4/" + request.platformPostId()).addQueryParam("updateMask", "summary")
            .putHeader("Authorization", "Bearer " + account.accessToken()).sendJsonObject(new JsonObject().put("summary", request.text())), PLATFORM)
        .map(response -> Http.changed(response, PLATFORM, GoogleBusinessPublisher::failure));
  }

  private static ProviderOutcome failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject error = Http.json(response).getJsonObject("error", new JsonObject());
    String code = error.getString("status", String.valueOf(status));
    String message = error.getString("message", "Google answered " + status);
    if (status == 429) throw new RateLimitedException(ProviderErrors.rateLimited(PLATFORM, code, message), status, null);
    if (status >= 500) throw new RetryableProviderException(ProviderErrors.providerError(PLATFORM, code, message), status);
    if (status == 401) return ProviderOutcome.failed(ProviderErrors.auth(PLATFORM, code, message), status);
    if (status == 403) return ProviderOutcome.failed(ProviderErrors.permission(PLATFORM, code, message), status);
    if (status == 404) return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "location_not_found", code, message), status);
    return ProviderOutcome.failed(ProviderErrors.content(PLATFORM, "content_rejected", code, message), status);
  }
}
