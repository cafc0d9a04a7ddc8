package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.RateLimitedException;
import dev.postflow.publisher.platform.RetryableProviderException;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.ThreadReplies;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Threads publishing (docs/platforms §3): {@code POST /{threads-user-id}/threads} (TEXT, IMAGE, VIDEO, carousel
 * children), {@code status} until FINISHED (about 30 s for video), {@code POST /{threads-user-id}/threads_publish}.
 */
@ApplicationScoped
public class ThreadsPublisher extends ContainerPublisher {
  @ConfigProperty(name = "postflow.platforms.threads.base-url", defaultValue = "https://graph.threads.net/v1.0")
  String baseUrl;

  /** Meta recommends waiting about 30 s on average before publishing. */
  @ConfigProperty(name = "postflow.platforms.threads.poll-interval", defaultValue = "PT10S")
  Duration pollInterval;

  @ConfigProperty(name = "postflow.platforms.threads.poll-timeout", defaultValue = "PT5M")
  Duration pollTimeout;

  @Override
  public String platform() {
    return "threads";
  }

  @Override
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      failOn = {RetryableProviderException.class, TimeoutException.class}, skipOn = RateLimitedException.class)
  @CircuitBreakerName("threads-publish")
  @Timeout(value = 8, unit = ChronoUnit.MINUTES)
  public Uni<ProviderOutcome> publish(PublishRequest request, AccountCredentials account) {
    return publishWithContainer(request, account).chain(post -> replies(request, account, post, false));
  }

  /** Found when the post's container and, for a thread, every reply's container sent before are PUBLISHED. */
  @Override
  public Uni<Optional<ProviderOutcome>> lookup(PublishRequest request, AccountCredentials account) {
    return lookupContainer(request, account).chain(found -> found.isEmpty() ? Uni.createFrom().item(found)
        : replies(request, account, found.get(), true).map(outcome -> outcome.published() ? Optional.of(outcome) : Optional.<ProviderOutcome>empty()));
  }

  /**
   * {@code DELETE /{threads-media-id}} of each reply of a thread (the last first), then of the post. Replies are posts
   * of their own on Threads: deleting the post leaves them up.
   */
  @Override
  public Uni<ProviderOutcome> unpublish(dev.postflow.contract.UnpublishRequest request, AccountCredentials account) {
    return handles.all(request.targetId()).chain(kept -> ThreadReplies.unpublish(request.platformOptions(), kept, "published_id",
        id -> delete(id, account), delete(request.platformPostId(), account)));
  }

  private Uni<ProviderOutcome> delete(String mediaId, AccountCredentials account) {
    return Http.connectFailuresAreRetryable(http.deleteAbs(baseUrl() + "/" + mediaId)
        .putHeader("Authorization", "Bearer " + account.accessToken()).send(), platform()).map(response -> MetaErrors.deleted(platform(), response));
  }

  /**
   * A thread's replies: each a TEXT container (with media: IMAGE, VIDEO or CAROUSEL) with {@code reply_to_id} the post
   * before, published once like the post
   * (its container stored first, asked before it is published again). Looking up after a lost answer, a reply whose
   * container is not PUBLISHED cannot be confirmed; replies never started are published.
   */
  private Uni<ProviderOutcome> replies(PublishRequest request, AccountCredentials account, ProviderOutcome post, boolean lookingUp) {
    String target = request.targetId();
    return ThreadReplies.publish(request, post, post.platformPostId(), (n, text, media, parent) -> {
      if (parent == null) {
        // the post before went out, but its id could not be learned: nothing can reply to it
        throw ThreadReplies.refused(ProviderOutcome.failed(ProviderErrors.providerError(platform(), "no_media_id",
            "the post before this reply is out, but Threads did not say its id"), null), request, n);
      }
      Map<String, String> params = new LinkedHashMap<>();
      params.put("media_type", "TEXT");
      params.put("text", text);
      params.put("reply_to_id", parent);
      // a reply with media: an IMAGE or VIDEO container, or a carousel, replying as a TEXT one does
      Supplier<Uni<String>> create = () -> media.isEmpty() ? create(account, params)
          : mediaContainer(account, media, text.isEmpty() ? null : text, Map.of("reply_to_id", parent));
      Supplier<Uni<String>> findLost = () -> findPublishedId(account, text, parent);
      Uni<ProviderOutcome> reply = !lookingUp ? publishStep(target, account, n, create, findLost)
          : handles.get(target, handle("container", n)).chain(container -> container == null
              ? publishStep(target, account, n, create, findLost)
              : lookupStep(target, account, n, findLost).map(found -> found.orElse(ProviderOutcome.failed(null, null))));
      return reply.map(outcome -> {
        if (outcome.published()) return outcome.platformPostId();
        throw ThreadReplies.refused(outcome, request, n);
      });
    });
  }

  /**
   * A publish answer was lost but the container is PUBLISHED: the account's newest posts ({@code GET /{user}/threads})
   * or replies ({@code GET /{user}/replies}, replying to {@code replyTo}) with the same text name it.
   */
  @Override
  Uni<String> findPublishedId(AccountCredentials account, String text, String replyTo) {
    return findOwn(account, replyTo == null ? "/threads" : "/replies", "id,text,timestamp,replied_to",
        post -> post.getString("text", "").equals(text == null ? "" : text)
            && (replyTo == null || replyTo.equals(post.getJsonObject("replied_to", new JsonObject()).getString("id"))));
  }

  @Override
  Map<String, String> single(PublishRequest request, MediaRef media) {
    Map<String, String> params = new LinkedHashMap<>();
    if (media == null) {
      params.put("media_type", "TEXT");
    } else if (media.isVideo()) {
      params.put("media_type", "VIDEO");
      params.put("video_url", media.url());
    } else {
      params.put("media_type", "IMAGE");
      params.put("image_url", media.url());
    }
    if (request.text() != null) params.put("text", request.text());
    Object topic = request.platformOptions() == null ? null : request.platformOptions().get("topic_tag");
    if (topic != null) params.put("topic_tag", topic.toString());
    List<String> choices = ContentCheck.pollChoices(request.platformOptions() == null ? null : request.platformOptions().get("poll"));
    if (media == null && !choices.isEmpty()) {
      // poll_attachment: {"option_a": …, "option_b": …, up to option_d}
      JsonObject poll = new JsonObject();
      for (int i = 0; i < choices.size(); i++) poll.put("option_" + (char) ('a' + i), choices.get(i));
      params.put("poll_attachment", poll.encode());
    }
    params.putAll(postExtras(request));
    return params;
  }

  /** A post replying to another ({@code reply_to}, anyone's): its container, a carousel's too, names that post. */
  @Override
  Map<String, String> postExtras(PublishRequest request) {
    String replyTo = ContentCheck.replyTo(request.platformOptions());
    return replyTo == null ? Map.of() : Map.of("reply_to_id", replyTo);
  }

  @Override
  Map<String, String> carouselItem(MediaRef media) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("is_carousel_item", "true");
    params.put("media_type", media.isVideo() ? "VIDEO" : "IMAGE");
    params.put(media.isVideo() ? "video_url" : "image_url", media.url());
    return params;
  }

  @Override
  String baseUrl() {
    return baseUrl;
  }

  @Override
  Protocol protocol() {
    return new Protocol("/threads", "/threads_publish", "status", "text");
  }

  @Override
  Duration pollInterval() {
    return pollInterval;
  }

  @Override
  Duration pollTimeout() {
    return pollTimeout;
  }
}
