package dev.postflow.publisher.platform;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.net.AddressPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** Small helpers every platform adapter uses: JSON bodies that may not be JSON, reset headers, media bytes. */
public final class Http {
  private Http() {}

  /** The body as a JSON object, or an empty object when it is not one. */
  public static JsonObject json(HttpResponse<Buffer> response) {
    try {
      Buffer body = response.body();
      if (body == null || body.length() == 0) return new JsonObject();
      Object parsed = body.toJson();
      return parsed instanceof JsonObject object ? object : new JsonObject().put("value", parsed);
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }

  /** Time until a reset given as epoch seconds (X, Bluesky, Pinterest headers); null when absent or unreadable. */
  public static Duration untilEpochSeconds(String header) {
    if (header == null) return null;
    try {
      long epoch = (long) Double.parseDouble(header.trim());
      Duration wait = Duration.between(Instant.now(), Instant.ofEpochSecond(epoch));
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (NumberFormatException e) {
      return untilInstant(header);
    }
  }

  /** Time until a reset given as an ISO-8601 instant (Mastodon's X-RateLimit-Reset). */
  public static Duration untilInstant(String header) {
    if (header == null) return null;
    try {
      Duration wait = Duration.between(Instant.now(), java.time.OffsetDateTime.parse(header.trim()).toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A failure to connect: nothing was sent, so trying again is safe. */
  public static <T> Uni<T> connectFailuresAreRetryable(Uni<T> call, String platform) {
    return call.onFailure(ConnectException.class)
        .transform(e -> new RetryableProviderException(ProviderErrors.network(platform, e.getMessage()), null));
  }

  /**
   * The answer to a delete: any 2xx, or 404 (gone before: deleted in the app, or by an earlier call whose answer was
   * lost), means the post is no longer there; anything else is the platform's error, mapped by {@code error} (which
   * throws for what is worth trying again).
   */
  /** An update's answer: 2xx the platform took it; 404 the post is gone (a definite failure); else {@code error}'s mapping. */
  public static ProviderOutcome changed(HttpResponse<Buffer> response, String platform,
      java.util.function.Function<HttpResponse<Buffer>, ProviderOutcome> error) {
    int status = response.statusCode();
    if (status / 100 == 2) return ProviderOutcome.changed(status);
    if (status == 404) return ProviderOutcome.failed(ProviderErrors.editedPostGone(platform), status);
    return error.apply(response);
  }

  public static ProviderOutcome removed(HttpResponse<Buffer> response, java.util.function.Function<HttpResponse<Buffer>, ProviderOutcome> error) {
    int status = response.statusCode();
    return status / 100 == 2 || status == 404 ? ProviderOutcome.removed(status) : error.apply(response);
  }

  /** Downloads a media file from its signed link (served by posts-api). */
  public static Uni<Buffer> download(WebClient http, MediaRef media, String platform) {
    return download(http, media.url(), "media " + media.id(), platform);
  }

  /** Downloads {@code what} (named so in an error) from its signed link. */
  public static Uni<Buffer> download(WebClient http, String url, String what, String platform) {
    return connectFailuresAreRetryable(http.getAbs(url).send(), platform).map(response -> {
      if (response.statusCode() != 200) {
        throw new RetryableProviderException(ProviderErrors.system(what + " could not be read (" + response.statusCode()
            + ") from its signed link"), null);
      }
      return response.body();
    });
  }

  /**
   * A server the account itself names (Mastodon instance, Bluesky PDS) must pass the SSRF guard before we call it
   * (resolving blocks: done on a worker thread). Its requests then go to the address the guard checked, never to a
   * second lookup of the name (DNS rebinding).
   */
  public static Uni<Server> safeServer(Vertx vertx, AddressPolicy policy, String url, String platform) {
    if (url == null || url.isBlank()) {
      return Uni.createFrom().failure(new IllegalArgumentException(platform + " account has no server URL"));
    }
    return vertx.executeBlocking(Uni.createFrom().item(() -> policy.check(url))).map(checked -> {
      if (checked.reason() != null) {
        throw new UnsafeServerException(platform + " server " + url + " is refused: " + checked.reason());
      }
      URI uri = URI.create(url);
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return new Server(url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
          SocketAddress.inetSocketAddress(port, checked.addresses()[0].getHostAddress()));
    });
  }

  /**
   * A server checked by the SSRF guard: {@code url} without a trailing slash, and the address it resolved to. Requests
   * connect to that address; the URL's host still names the server (Host header, TLS server name and certificate).
   */
  public record Server(String url, SocketAddress address) {
    public String at(String path) {
      return url + path;
    }

    public HttpRequest<Buffer> get(WebClient http, String path) {
      return http.requestAbs(HttpMethod.GET, address, url + path);
    }

    public HttpRequest<Buffer> post(WebClient http, String path) {
      return http.requestAbs(HttpMethod.POST, address, url + path);
    }

    public HttpRequest<Buffer> put(WebClient http, String path) {
      return http.requestAbs(HttpMethod.PUT, address, url + path);
    }

    public HttpRequest<Buffer> delete(WebClient http, String path) {
      return http.requestAbs(HttpMethod.DELETE, address, url + path);
    }
  }

  /** The account names a server we will not call. Definite: nothing was sent. */
  public static class UnsafeServerException extends RuntimeException {
    public UnsafeServerException(String message) {
      super(message, null, false, false);
    }
  }
}
