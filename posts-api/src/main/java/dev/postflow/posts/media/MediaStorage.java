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

  /** @throws java.nio.file.NoSuchFileException when there is no object under the key */
  InputStream open(String key) throws IOException;

  void delete(String key) throws IOException;

  /**
   * A URL at which whoever holds it may PUT the object under this key, with exactly this Content-Type and size, until
   * it expires: a bucket's presigned URL. Null where the storage has none (a local directory): posts-api then takes the
   * bytes at a signed URL of its own ({@link MediaUploads}).
   */
  default String presignPut(String key, String contentType, long sizeBytes, java.time.Duration validFor) {
    return null;
  }
}
