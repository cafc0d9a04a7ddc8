package dev.postflow.publisher.platform.meta;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.platform.ContentCheck;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.ledger.TargetHandles;
import dev.postflow.publisher.platform.DefiniteFailure;
import dev.postflow.publisher.platform.Http;
import dev.postflow.publisher.platform.PlatformPublisher;
import dev.postflow.publisher.platform.Polling;
import dev.postflow.publisher.platform.Polling.Poll;
import dev.postflow.publisher.platform.ProviderErrors;
import dev.postflow.publisher.platform.ProviderOutcome;
import dev.postflow.publisher.platform.ThreadReplies;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.inject.Inject;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The container protocol Instagram and Threads share (docs/platforms §1, §3): create a container (children first for a
 * carousel), wait until its status is FINISHED, publish it. The container id is stored before the publish call, so a
 * retry or a reconcile asks the container (PUBLISHED = already out) instead of publishing again. Media is pulled by
 * Meta from the signed links posts-api serves.
 */
abstract class ContainerPublisher implements PlatformPublisher {
  /** What differs between Instagram and Threads. */
  record Protocol(String createPath, String publishPath, String statusField, String textParam) {}

  @Inject WebClient http;
  @Inject TargetHandles handles;

  abstract String baseUrl();

  abstract Protocol protocol();

  abstract Duration pollInterval();

  abstract Duration pollTimeout();

  /** The container parameters of a single (non-carousel) post. */
  abstract Map<String, String> single(PublishRequest request, MediaRef media);

  /** Parameters of the post itself (a single post's or the carousel's container), beyond its media and text. */
  Map<String, String> postExtras(PublishRequest request) {
    return Map.of();
  }

  /** The parameters of one carousel item. */
  abstract Map<String, String> carouselItem(MediaRef media);

  /** Parameters the post's options add to its carousel item {@code index} (Instagram's user tags); none by default. */
  Map<String, String> carouselItemExtras(PublishRequest request, int index) {
    return Map.of();
  }

  Uni<ProviderOutcome> publishWithContainer(PublishRequest request, AccountCredentials account) {
    return publishStep(request.targetId(), account, 0, () -> createPostContainer(request, account),
        () -> findPublishedId(account, request.text(), ContentCheck.replyTo(request.platformOptions())));
  }

  Uni<Optional<ProviderOutcome>> lookupContainer(PublishRequest request, AccountCredentials account) {
    return lookupStep(request.targetId(), account, 0, () -> findPublishedId(account, request.text(), ContentCheck.replyTo(request.platformOptions())));
  }

  /**
   * The media id of a post (or of a reply to {@code replyTo}) whose container is PUBLISHED but whose publish answer was
   * lost, read from the account's own posts; null where the platform cannot tell.
   */
  Uni<String> findPublishedId(AccountCredentials account, String text, String replyTo) {
    return Uni.createFrom().nullItem();
  }

  /** The id of the newest item of one of the account's own edges ({@code /media}, {@code /threads}) that {@code matches}; null when none or unreadable. */
  Uni<String> findOwn(AccountCredentials account, String edge, String fields, java.util.function.Predicate<JsonObject> matches) {
    return http.getAbs(baseUrl() + "/" + account.externalId() + edge).addQueryParam("fields", fields).addQueryParam("limit", "25")
        .putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) return null;
          io.vertx.core.json.JsonArray items = Http.json(response).getJsonArray("data", new io.vertx.core.json.JsonArray());
          for (int i = 0; i < items.size(); i++) {
            if (matches.test(items.getJsonObject(i))) return items.getJsonObject(i).getString("id");
          }
          return (String) null;
        })
        .onFailure().recoverWithNull();
  }

  /** A step's handle: the post's own ({@code container}), or a thread reply's ({@code container.2}). */
  static String handle(String name, int step) {
    return step == 0 ? name : ThreadReplies.handle(name, step);
  }

  /**
   * One container published once. {@code step} 0 is the post; a thread's reply {@code n} is step n, with its own
   * handles. A container made by an earlier attempt is asked first and published only if it is not out yet.
   */
  Uni<ProviderOutcome> publishStep(String target, AccountCredentials account, int step, Supplier<Uni<String>> create,
      Supplier<Uni<String>> findLost) {
    return handles.get(target, handle("container", step)).chain(existing -> {
      if (existing != null) {
        return containerStatus(existing, account).chain(status -> switch (status) {
          case "PUBLISHED" -> publishedId(target, step, findLost)
              .chain(id -> permalink(id, account).map(link -> ProviderOutcome.published(id, link, 200)));
          case "ERROR", "EXPIRED" -> createAndPublish(target, account, step, create);
          default -> waitFinished(existing, account).chain(ready -> publishContainer(target, account, step, existing))
              .onFailure(DefiniteFailure.class).recoverWithItem(failure -> ((DefiniteFailure) failure).outcome());
        });
      }
      return createAndPublish(target, account, step, create);
    });
  }

  /** Found when the step's container is PUBLISHED. */
  Uni<Optional<ProviderOutcome>> lookupStep(String target, AccountCredentials account, int step, Supplier<Uni<String>> findLost) {
    return handles.get(target, handle("container", step)).chain(container -> {
      if (container == null) return Uni.createFrom().item(Optional.<ProviderOutcome>empty());
      return containerStatus(container, account).chain(status -> !"PUBLISHED".equals(status) ? Uni.createFrom().item(Optional.<ProviderOutcome>empty())
          : publishedId(target, step, findLost).chain(id -> permalink(id, account).map(link -> Optional.of(ProviderOutcome.published(id, link, 200)))));
    });
  }

  /** The step's media id: kept from its publish answer, or found (and kept) when that answer was lost. */
  private Uni<String> publishedId(String target, int step, Supplier<Uni<String>> findLost) {
    return handles.get(target, handle("published_id", step)).chain(kept -> kept != null ? Uni.createFrom().item(kept)
        : findLost.get().call(found -> found == null ? Uni.createFrom().voidItem() : handles.put(target, handle("published_id", step), found)));
  }

  private Uni<String> createPostContainer(PublishRequest request, AccountCredentials account) {
    List<MediaRef> media = request.mediaOrEmpty();
    if (media.size() <= 1) return create(account, single(request, media.isEmpty() ? null : media.get(0)));
    return carousel(account, media, request.text(), postExtras(request), index -> carouselItemExtras(request, index));
  }

  /**
   * A container for these media with this text and these extra parameters (a thread's reply with {@code reply_to_id}):
   * one media file as itself, several as a carousel.
   */
  Uni<String> mediaContainer(AccountCredentials account, List<MediaRef> media, String text, Map<String, String> extras) {
    if (media.size() > 1) return carousel(account, media, text, extras, index -> Map.of());
    Map<String, String> params = new java.util.LinkedHashMap<>(carouselItem(media.get(0)));
    params.remove("is_carousel_item");
    if (text != null) params.put(protocol().textParam(), text);
    params.putAll(extras);
    return create(account, params);
  }

  /** The items first (each FINISHED before the next), then the CAROUSEL container naming them. */
  private Uni<String> carousel(AccountCredentials account, List<MediaRef> media, String text, Map<String, String> extras,
      java.util.function.IntFunction<Map<String, String>> itemExtras) {
    Uni<List<String>> children = Uni.createFrom().item(new ArrayList<>());
    for (int i = 0; i < media.size(); i++) {
      Map<String, String> item = new java.util.LinkedHashMap<>(carouselItem(media.get(i)));
      item.putAll(itemExtras.apply(i));
      children = children.chain(ids -> create(account, item).chain(id -> waitFinished(id, account).map(done -> {
        ids.add(id);
        return ids;
      })));
    }
    return children.chain(ids -> {
      Map<String, String> params = new java.util.LinkedHashMap<>();
      params.put("media_type", "CAROUSEL");
      params.put("children", String.join(",", ids));
      if (text != null) params.put(protocol().textParam(), text);
      params.putAll(extras);
      return create(account, params);
    });
  }

  private Uni<ProviderOutcome> createAndPublish(String target, AccountCredentials account, int step, Supplier<Uni<String>> create) {
    return create.get()
        .call(id -> handles.put(target, handle("container", step), id))
        .chain(id -> waitFinished(id, account).chain(ready -> publishContainer(target, account, step, id)))
        .onFailure(DefiniteFailure.class).recoverWithItem(failure -> ((DefiniteFailure) failure).outcome());
  }

  private Uni<ProviderOutcome> publishContainer(String target, AccountCredentials account, int step, String container) {
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl() + "/" + account.externalId() + protocol().publishPath())
            .putHeader("Authorization", "Bearer " + account.accessToken())
            .sendMultipartForm(MultipartForm.create().attribute("creation_id", container)), platform())
        .chain(response -> {
          if (response.statusCode() != 200) return Uni.createFrom().item(MetaErrors.failure(platform(), response));
          String id = Http.json(response).getString("id");
          return handles.put(target, handle("published_id", step), id)
              .chain(() -> permalink(id, account))
              .map(link -> ProviderOutcome.published(id, link, 200));
        });
  }

  /** A container with these parameters; its id. */
  Uni<String> create(AccountCredentials account, Map<String, String> params) {
    return createContainer(account, params).map(answer -> answer.getString("id"));
  }

  /** {@code POST /{user-id}/media} (or {@code /threads}): the platform's whole answer ({@code id}, and more for some kinds). */
  Uni<JsonObject> createContainer(AccountCredentials account, Map<String, String> params) {
    MultipartForm form = MultipartForm.create();
    params.forEach(form::attribute);
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl() + "/" + account.externalId() + protocol().createPath())
            .putHeader("Authorization", "Bearer " + account.accessToken()).sendMultipartForm(form), platform())
        .map(response -> {
          if (response.statusCode() != 200) throw new DefiniteFailure(MetaErrors.failure(platform(), response));
          return Http.json(response);
        });
  }

  /** Polls the container until FINISHED; ERROR and EXPIRED end the attempt (nothing was published). */
  private Uni<String> waitFinished(String container, AccountCredentials account) {
    return Polling.<String>until(() -> statusDetails(container, account).map(status -> switch (status.getString(protocol().statusField(), "")) {
          case "FINISHED", "PUBLISHED" -> Poll.done(container);
          case "ERROR" -> Poll.<String>failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(platform(),
              status.getString("error_message", status.getString("status", "ERROR")),
              platform() + " could not process the media: " + status.getString("error_message", status.getString("status", "ERROR"))), null));
          case "EXPIRED" -> Poll.<String>failed(ProviderOutcome.failed(ProviderErrors.providerError(platform(), "EXPIRED",
              "the " + platform() + " container expired before it was published"), null));
          default -> Poll.<String>processing();
        }), pollInterval(), pollTimeout(),
        () -> Poll.failed(ProviderOutcome.failed(ProviderErrors.mediaRejected(platform(), "IN_PROGRESS",
            platform() + " was still processing the media after " + pollTimeout().toSeconds() + " s"), null)))
        .map(poll -> {
          if (poll.failure() != null) throw new DefiniteFailure(poll.failure());
          return poll.value();
        });
  }

  private Uni<String> containerStatus(String container, AccountCredentials account) {
    return statusDetails(container, account).map(status -> status.getString(protocol().statusField(), ""));
  }

  private Uni<JsonObject> statusDetails(String container, AccountCredentials account) {
    String fields = protocol().statusField() + ("status".equals(protocol().statusField()) ? ",error_message" : ",status");
    return http.getAbs(baseUrl() + "/" + container).addQueryParam("fields", fields)
        .putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) throw new DefiniteFailure(MetaErrors.failure(platform(), response));
          return Http.json(response);
        });
  }

  private Uni<String> permalink(String mediaId, AccountCredentials account) {
    if (mediaId == null) return Uni.createFrom().nullItem();
    return http.getAbs(baseUrl() + "/" + mediaId).addQueryParam("fields", "permalink")
        .putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> response.statusCode() == 200 ? Http.json(response).getString("permalink") : null)
        .onFailure().recoverWithNull();
  }
}
