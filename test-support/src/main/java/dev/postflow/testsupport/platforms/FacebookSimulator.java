package dev.postflow.testsupport.platforms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Pages API (docs/platforms §2): {@code /{page}/feed} (message, link, attached_media), {@code /{page}/photos}
 * (url, published=false to stage), {@code /{page}/videos} (file_url), {@code GET /{page}/feed}; a post identical to the
 * latest one is refused with 506 "Duplicate status message". Media URLs are really fetched. Failures for
 * {@link #failNext} on the page path: "expired_token", "rate_limited" (32), "server_error" (2), "lose_answer".
 */
public class FacebookSimulator extends Simulator {
  public static final String TOKEN = "page-token";
  public final List<Map<String, String>> posts = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(500_000_000L);
  private final HttpClient fetcher = HttpClient.newHttpClient();

  public FacebookSimulator() {
    route("POST", "/(\\d+)/(feed|photos|videos)", (call, path) -> {
      String failure = scriptedFailure(call);
      if ("expired_token".equals(failure) || !TOKEN.equals(bearer(call))) {
        return MetaContainerSimulator.error(400, 190, 460, "Error validating access token: The session has been invalidated");
      }
      if ("rate_limited".equals(failure)) return MetaContainerSimulator.error(400, 32, 0, "Page request limit reached");
      if ("server_error".equals(failure)) return MetaContainerSimulator.error(500, 2, 0, "Service temporarily unavailable");
      String page = path.group(1);
      Map<String, String> form = Multipart.fields(call);
      String url = form.getOrDefault("url", form.get("file_url"));
      if (url != null && !fetchable(url)) return MetaContainerSimulator.error(400, 324, 2069019, "Missing or invalid image file");
      String id = String.valueOf(ids.incrementAndGet());
      if (path.group(2).equals("photos") && "false".equals(form.get("published"))) {
        return Answer.json(200, Map.of("id", id));
      }
      String message = form.getOrDefault("message", form.getOrDefault("caption", form.getOrDefault("description", "")));
      if (!posts.isEmpty() && !message.isEmpty() && posts.get(posts.size() - 1).get("message").equals(message)) {
        return MetaContainerSimulator.error(400, 506, 1455006, "Duplicate status message");
      }
      String postId = page + "_" + id;
      posts.add(Map.of("id", postId, "message", message, "kind", path.group(2), "created_time", String.valueOf(Instant.now().getEpochSecond()),
          "attached_media", form.getOrDefault("attached_media", "")));
      Answer answer = Answer.json(200, path.group(2).equals("feed") ? Map.of("id", postId) : Map.of("id", id, "post_id", postId));
      return "lose_answer".equals(failure) ? answer.late(5_000) : answer;
    });
    route("GET", "/(\\d+)/feed", (call, path) -> {
      if (!TOKEN.equals(bearer(call))) return MetaContainerSimulator.error(400, 190, 460, "Error validating access token");
      long since = Long.parseLong(call.query().getOrDefault("since", "0"));
      List<Map<String, String>> data = posts.stream().filter(p -> Long.parseLong(p.get("created_time")) >= since)
          .map(p -> Map.of("id", p.get("id"), "message", p.get("message"), "permalink_url", "https://www.facebook.com/" + p.get("id")))
          .toList();
      return Answer.json(200, Map.of("data", data));
    });
  }

  private boolean fetchable(String url) {
    try {
      return fetcher.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  protected void onReset() {
    posts.clear();
  }
}
