package dev.postflow.posts.media;

import dev.postflow.posts.idempotency.Idempotency;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.postflow.contract.Ids;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Media files: stored, inspected from their bytes, served by signed URL, deleted when no unfinished post uses them. */
@ApplicationScoped
public class MediaService {
  @Inject MediaStorage storage;
  @Inject MediaDownloader downloader;
  @Inject Pool pool;
  @Inject Idempotency idempotency;

  @ConfigProperty(name = "postflow.media.max-bytes")
  long maxBytes;

  /** A file received and inspected, not stored yet. */
  public record Received(Path file, String sha256, long size, MediaInspector.Facts facts, String sourceUrl, String altText) {}

  public long maxBytes() {
    return maxBytes;
  }

  /** Reads an upload into a temporary file and inspects it; blocking (call from a worker thread). */
  public Received receive(InputStream body, String altText) {
    Path file = tempFile();
    try {
      copyLimited(body, file, maxBytes);
      return inspect(file, null, altText);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new ProblemException(400, "upload_interrupted", "Upload interrupted", "the upload did not complete: " + e.getMessage());
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  /** Takes over an already received file (a multipart upload). */
  public Received receive(Path uploaded, String altText) {
    Path file = tempFile();
    try {
      long size = Files.size(uploaded);
      if (size > maxBytes) throw tooLarge();
      Files.copy(uploaded, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return inspect(file, null, altText);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  /** Downloads from a URL (SSRF-guarded) and inspects; blocking. */
  public Received importFrom(String url, String altText) {
    Path file = tempFile();
    try {
      downloader.download(url, file, maxBytes);
      return inspect(file, url, altText);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  /** Moves the received bytes into the media storage under a new id; blocking. The row is written by {@link #insert}. */
  public Media store(String workspaceId, Received received) {
    Media media = new Media();
    media.id = Ids.newId("med");
    media.workspaceId = workspaceId;
    media.status = Media.READY;
    media.mimeType = received.facts().mimeType();
    media.sizeBytes = received.size();
    media.width = received.facts().width();
    media.height = received.facts().height();
    media.durationMs = received.facts().durationMs();
    media.pages = received.facts().pages();
    media.sha256 = received.sha256();
    media.altText = received.altText();
    media.sourceUrl = received.sourceUrl();
    media.storageKey = workspaceId + "/" + media.id;
    media.createdAt = Instant.now();
    try {
      storage.put(media.storageKey, received.file());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return media;
  }

  @WithTransaction
  public Uni<MediaView> insert(Media media) {
    return media.<Media>persist().map(MediaView::of);
  }

  /** Removes stored bytes whose row was never written (an idempotent replay, a failed insert). */
  public void discard(Media media) {
    try {
      storage.delete(media.storageKey);
    } catch (IOException e) {
      io.quarkus.logging.Log.warnf("could not delete the bytes of %s: %s", media.id, e.getMessage());
    }
  }

  /** The temporary file of a request that stored nothing. */
  public void discard(Received received) {
    deleteQuietly(received.file());
  }

  @WithSession
  public Uni<MediaView> get(String workspaceId, String id) {
    return find(workspaceId, id).map(MediaView::of);
  }

  @WithSession
  public Uni<List<MediaView>> list(String workspaceId) {
    return Media.<Media>list("workspaceId = ?1 order by id desc", workspaceId).map(list -> list.stream().map(MediaView::of).toList());
  }

  /** The workspace's media with these ids (missing ones are absent). */
  public Uni<List<Media>> findAll(String workspaceId, List<String> ids) {
    if (ids.isEmpty()) return Uni.createFrom().item(List.of());
    return Media.list("workspaceId = ?1 and id in ?2", workspaceId, ids);
  }

  /**
   * Refused with 409 while a post that has not finished (draft, scheduled, publishing, awaiting or refused approval) uses the file: as its media, or
   * named in its options (a thumbnail, a thread reply's media; media ids are unique, so the quoted id is enough).
   */
  @WithTransaction
  public Uni<Void> delete(String workspaceId, String id) {
    return find(workspaceId, id).chain(media -> usedBy(workspaceId, id).chain(postId -> {
      if (postId != null) {
        throw new ProblemException(409, "media_in_use", "Media in use",
            "post " + postId + " uses " + id + " and has not finished; cancel or edit it first");
      }
      return media.delete().invoke(() -> {
        try {
          storage.delete(media.storageKey);
        } catch (IOException e) {
          io.quarkus.logging.Log.warnf("could not delete the bytes of %s: %s", id, e.getMessage());
        }
      });
    }));
  }

  /** Opens the bytes (blocking). */
  public InputStream open(Media media) throws IOException {
    return storage.open(media.storageKey);
  }

  @WithSession
  public Uni<Media> findForDownload(String id) {
    return Media.findById(id);
  }

  private Uni<String> usedBy(String workspaceId, String mediaId) {
    return pool.preparedQuery("""
            select p.id from posts.post p
            where p.workspace_id = $1 and p.status in ('draft', 'scheduled', 'publishing', 'pending_approval', 'rejected')
              and (p.media_ids::jsonb ? $2 or strpos(p.platform_options, '"' || $2 || '"') > 0
                   or exists (select 1 from posts.post_target t where t.post_id = p.id
                              and (t.media_ids::jsonb ? $2 or strpos(t.platform_options, '"' || $2 || '"') > 0)))
            limit 1""")
        .execute(Tuple.of(workspaceId, mediaId))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
  }

  private Uni<Media> find(String workspaceId, String id) {
    return Media.<Media>find("id = ?1 and workspaceId = ?2", id, workspaceId).firstResult().map(media -> {
      if (media == null) throw ProblemException.notFound("media " + id);
      return media;
    });
  }

  private Received inspect(Path file, String sourceUrl, String altText) {
    try {
      long size = Files.size(file);
      if (size == 0) throw new ProblemException(400, "media_empty", "Empty media", "the file has no bytes");
      MediaInspector.Facts facts;
      try {
        facts = MediaInspector.inspect(file);
      } catch (MediaInspector.RefusedFile e) {
        throw new ProblemException(422, e.code, "File no platform takes", e.getMessage());
      }
      if (facts == null) {
        throw new ProblemException(415, "unsupported_media_type", "Unsupported media type",
            "the file is not JPEG, PNG, GIF, WebP, MP4, QuickTime, PDF, PowerPoint (.pptx), Word (.docx) or WebVTT (judged by its content, not its name)");
      }
      if (altText != null && altText.length() > 1000) {
        throw new ProblemException(400, "alt_text_too_long", "Alt text too long", "alt_text may be at most 1000 characters");
      }
      return new Received(file, sha256(file), size, facts, sourceUrl, altText);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies at most maxBytes; beyond that a 413 problem (the partial file is the caller's to delete). */
  static void copyLimited(InputStream in, Path file, long maxBytes) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        total += read;
        if (total > maxBytes) throw tooLarge(maxBytes);
        out.write(buffer, 0, read);
      }
    }
  }

  private ProblemException tooLarge() {
    return tooLarge(maxBytes);
  }

  private static ProblemException tooLarge(long maxBytes) {
    return new ProblemException(413, "payload_too_large", "Payload too large", "media files may be at most " + maxBytes + " bytes");
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path tempFile() {
    try {
      return Files.createTempFile("postflow-media-", ".part");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file
    }
  }

  /** What an upload is, for Idempotency-Key: a key reused with other bytes is refused. */
  record UploadFingerprint(String sha256, String altText, String sourceUrl) {}

  /**
   * Stores received bytes as the workspace's media (once per Idempotency-Key: a repeated request answers the first
   * media, and its bytes are dropped): 201 with the media. Blocking (worker thread), as receiving is.
   */
  public Response save(String workspaceId, String idempotencyKey, Received received) {
    Media stored;
    try {
      stored = store(workspaceId, received);
    } finally {
      discard(received);
    }
    AtomicBoolean inserted = new AtomicBoolean();
    try {
      Response response = VertxContextSupport.subscribeAndAwait(() -> idempotency.once(workspaceId, idempotencyKey, "POST /v1/media",
          new UploadFingerprint(received.sha256(), received.altText(), received.sourceUrl()),
          () -> insert(stored).invoke(() -> inserted.set(true)).map(view -> Response.status(201).entity(view).build())));
      if (!inserted.get()) discard(stored);
      return response;
    } catch (RuntimeException e) {
      if (!inserted.get()) discard(stored);
      throw e;
    } catch (Throwable e) {
      discard(stored);
      throw new IllegalStateException(e);
    }
  }
}
