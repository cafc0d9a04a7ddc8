package dev.postflow.testsupport.platforms;

import dev.postflow.contract.MediaRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for posts-api's signed media links: serves the bytes a test registered. */
public class MediaHost extends Simulator {
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();

  public MediaHost() {
    route("GET", "/media/([^/]+)", (call, path) -> {
      byte[] bytes = files.get(path.group(1));
      if (bytes == null || !"ok".equals(call.query().get("signature"))) return Answer.json(403, Map.of("code", "invalid_signature"));
      return new Answer(200, Map.of("Content-Type", types.get(path.group(1))), bytes, 0);
    });
  }

  public MediaRef add(String id, byte[] bytes, String mimeType, Integer width, Integer height, Long durationMs, String alt) {
    files.put(id, bytes);
    types.put(id, mimeType);
    return new MediaRef(id, mimeType, bytes.length, width, height, durationMs, baseUrl() + "/media/" + id + "?expires=9999999999&signature=ok", alt);
  }
}
