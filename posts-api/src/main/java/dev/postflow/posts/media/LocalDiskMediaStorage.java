package dev.postflow.posts.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Media bytes in a directory ({@code postflow.media.storage-dir}), one file per key. */
public class LocalDiskMediaStorage implements MediaStorage {
  private final Path root;

  public LocalDiskMediaStorage(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = pathOf(key);
    Files.createDirectories(target.getParent());
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException otherFileSystem) {
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(file);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(pathOf(key));
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(pathOf(key));
  }

  private Path pathOf(String key) {
    if (!key.matches("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")) throw new IllegalArgumentException("bad storage key");
    return root.resolve(key);
  }
}
