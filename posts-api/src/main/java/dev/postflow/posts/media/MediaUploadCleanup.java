package dev.postflow.posts.media;

import dev.postflow.contract.ShortWork;
import dev.postflow.contract.WorkerLoop;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Once an hour, deletes the uploads whose URL expired more than a day ago, with any bytes left under their keys: those
 * never completed, and the rows of those completed (their media stays: its bytes were copied under its own key). A row
 * is deleted before its bytes, so a completion racing the cleanup finds no upload (404) rather than an upload without
 * bytes.
 */
@ApplicationScoped
public class MediaUploadCleanup {
  static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);
  private static final int CHUNK = 500;

  @Inject ShortWork shortWork;
  @Inject MediaStorage storage;

  private WorkerLoop loop;

  void start(@Observes StartupEvent event) {
    loop = new WorkerLoop("media-upload-cleanup", 1, () -> {
      int deleted = deleteExpired();
      if (deleted > 0) Log.infof("deleted %d expired media uploads", deleted);
      return Duration.ofHours(1).toMillis();
    });
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    loop.stop(Duration.ofSeconds(5));
  }

  /** Deletes the expired uploads now (it runs once an hour anyway); returns how many. */
  public int deleteExpired() throws SQLException {
    Instant before = Instant.now().minus(KEPT_AFTER_EXPIRY);
    int total = 0;
    List<String> keys;
    do {
      keys = shortWork.run(connection -> {
        connection.setAutoCommit(true);
        try (PreparedStatement delete = connection.prepareStatement("""
            delete from posts.media_upload where id = any (array(
              select id from posts.media_upload where expires_at < ? order by expires_at limit ?))
            returning storage_key""")) {
          delete.setTimestamp(1, Timestamp.from(before));
          delete.setInt(2, CHUNK);
          List<String> deleted = new ArrayList<>();
          try (ResultSet rows = delete.executeQuery()) {
            while (rows.next()) deleted.add(rows.getString(1));
          }
          return deleted;
        }
      });
      for (String key : keys) {
        try {
          storage.delete(key);
        } catch (IOException e) {
          Log.warnf("could not delete the bytes of an expired upload (%s): %s", key, e.getMessage());
        }
      }
      total += keys.size();
    } while (keys.size() == CHUNK);
    return total;
  }
}
