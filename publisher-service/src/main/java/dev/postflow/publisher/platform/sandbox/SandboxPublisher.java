package dev.postflow.publisher.platform.sandbox;

import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.UnpublishRequest;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The sandbox platform's protocol (posts-api's SandboxProviderResource):
 * {@code POST /sandbox/api/v1/posts} with the account's bearer token, our target id as {@code client_ref} and as
 * {@code Idempotency-Key} (a repeated create is answered with the first post, never a second one), and
 * {@code GET /sandbox/api/v1/posts?client_ref=} to look a post up after an ambiguous outcome, and
 * {@code DELETE /sandbox/api/v1/posts/{id}} to take one down ({@code ?outcome=}: the target's {@code unpublish_outcome}),
 * {@code PUT /sandbox/api/v1/posts/{id}} to change its text ({@code ?outcome=}: the target's {@code edit_outcome}).
 */
@ApplicationScoped
public class SandboxPublisher implements PlatformPublisher {
  @Inject WebClient http;

  @ConfigProperty(name = "postflow.platforms.sandbox.base-url")
  String baseUrl;

  @Override
  public String platform() {
    return "sandbox";
  }

  @Override
  @Retry(maxRetries = 3, delay = 300, jitter = 100, retryOn = RetryableProviderException.class)
  @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("sandbox-publish")
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    JsonObject body = new JsonObject()
        .put("account_id", account.accountId())
        .put("client_ref", request.targetId())
        .put("text", request.text())
        .put("media_ids", new JsonArray(request.mediaIds() == null ? List.of() : request.mediaIds()))
        .put("behaviour", new JsonObject(request.platformOptions() == null ? java.util.Map.of() : request.platformOptions()));
    return http.postAbs(baseUrl + "/sandbox/api/v1/posts")
        .putHeader("Authorization", "Bearer " + account.accessToken())
        .putHeader("Accept", "application/json")
        .putHeader("Idempotency-Key", request.targetId())
        .sendJsonObject(body)
        .onFailure(ConnectException.class).transform(e -> new RetryableProviderException(ProviderErrors.network("sandbox", e.getMessage()), null))
        .map(this::outcome);
  }

  /** Every create carries the target id as Idempotency-Key. */
  @Override
  public boolean createsAreKeyed() {
    return true;
  }

  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return http.getAbs(baseUrl + "/sandbox/api/v1/posts")
        .addQueryParam("client_ref", request.targetId())
        .putHeader("Authorization", "Bearer " + account.accessToken())
        .send()
        .map(response -> {
          if (response.statusCode() != 200) throw new IllegalStateException("sandbox lookup answered " + response.statusCode());
          JsonArray found = response.bodyAsJsonObject().getJsonArray("data");
          if (found == null || found.isEmpty()) return Optional.empty();
          JsonObject post = found.getJsonObject(0);
          return Optional.of(ProviderOutcome.published(post.getString("id"), post.getString("permalink"), 200));
        });
  }

  @Override
  public Uni<ProviderOutcome> unpublish(UnpublishRequest request, AccountCredentials account) {
    var delete = http.deleteAbs(baseUrl + "/sandbox/api/v1/posts/" + request.platformPostId())
        .putHeader("Authorization", "Bearer " + account.accessToken())
        .putHeader("Accept", "application/json");
    Object outcome = request.platformOptions() == null ? null : request.platformOptions().get("unpublish_outcome");
    if (outcome != null) delete.addQueryParam("outcome", String.valueOf(outcome));
    return Http.connectFailuresAreRetryable(delete.send(), "sandbox").map(response -> Http.removed(response, this::failure));
  }

  @Override
  public Uni<ProviderOutcome> edit(dev.postflow.contract.EditRequest request, AccountCredentials account) {
    var put = http.putAbs(baseUrl + "/sandbox/api/v1/posts/" + request.platformPostId())
        .putHeader("Authorization", "Bearer " + account.accessToken())
        .putHeader("Accept", "application/json");
    Object outcome = request.platformOptions() == null ? null : request.platformOptions().get("edit_outcome");
    if (outcome != null) put.addQueryParam("outcome", String.valueOf(outcome));
    return Http.connectFailuresAreRetryable(put.sendJsonObject(new JsonObject().put("text", request.text())), "sandbox")
        .map(response -> Http.changed(response, "sandbox", this::failure));
  }

  private ProviderOutcome outcome(HttpResponse<io.vertx.mutiny.core.buffer.Buffer> response) {
    int status = response.statusCode();
    if (status == 201 || status == 200) {
      JsonObject post = response.bodyAsJsonObject();
      return ProviderOutcome.published(post.getString("id"), post.getString("permalink"), status);
    }
    return failure(response);
  }

  /** The sandbox's error envelope mapped; a rate limit or a temporary failure is thrown, to be tried again. */
  private ProviderOutcome failure(HttpResponse<io.vertx.mutiny.core.buffer.Buffer> response) {
    int status = response.statusCode();
    String code = null;
    String message = null;
    try {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      code = error.getString("code");
      message = error.getString("message");
    } catch (RuntimeException notJson) {
      // keep the status alone
    }
    var error = ProviderErrors.fromHttp("sandbox", status, code, message);
    if (status == 429) throw new RateLimitedException(error, status);
    if (error.retryable()) throw new RetryableProviderException(error, status);
    return ProviderOutcome.failed(error, status);
  }
}
