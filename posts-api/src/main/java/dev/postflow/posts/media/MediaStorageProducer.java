package dev.postflow.posts.media;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code postflow.media.storage}: {@code local} (a directory, the default) or {@code s3} (an S3-compatible bucket). */
public class MediaStorageProducer {
  @Produces
  @ApplicationScoped
  MediaStorage mediaStorage(@ConfigProperty(name = "postflow.media.storage", defaultValue = "local") String kind,
      @ConfigProperty(name = "postflow.media.storage-dir") Path directory,
      @ConfigProperty(name = "postflow.media.s3.endpoint") Optional<String> endpoint,
      @ConfigProperty(name = "postflow.media.s3.bucket") Optional<String> bucket,
      @ConfigProperty(name = "postflow.media.s3.region", defaultValue = "us-east-1") String region,
      @ConfigProperty(name = "postflow.media.s3.access-key") Optional<String> accessKey,
      @ConfigProperty(name = "postflow.media.s3.secret-key") Optional<String> secretKey) throws IOException {
    if (kind.equals("s3")) {
      String missing = endpoint.isEmpty() ? "endpoint" : bucket.isEmpty() ? "bucket" : accessKey.isEmpty() ? "access-key"
          : secretKey.isEmpty() ? "secret-key" : null;
      if (missing != null) throw new IllegalStateException("postflow.media.storage=s3 needs postflow.media.s3." + missing);
      return new S3MediaStorage(endpoint.get(), bucket.get(), region, accessKey.get(), secretKey.get());
    }
    return new LocalDiskMediaStorage(directory);
  }
}
