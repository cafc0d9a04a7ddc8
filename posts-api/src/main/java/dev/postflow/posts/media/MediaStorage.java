package dev.postflow.posts.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where media bytes live. The default keeps them on local disk ({@link LocalDiskMediaStorage}); a deployment with
 * several posts-api replicas mounts a shared volume there (see the README). Calls block: run them off the event loop.
 */
public interface MediaStorage {
  /** Takes over the file (moves it when it can). */
  void put(String key, Path file) throws IOException;

  InputStream open(String key) throws IOException;

  void delete(String key) throws IOException;
}
