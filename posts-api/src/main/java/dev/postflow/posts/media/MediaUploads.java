package dev.postflow.posts.media;

import dev.postflow.contract.Ids;
import dev.postflow.posts.idempotency.Idempotency;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Direct uploads: the client declares a file's type and size ({@link #create}), PUTs the bytes to the upload URL (a
 * bucket's presigned URL, which signs the type and size, or posts-api's own signed URL with local storage,
 * {@link #receive}), then completes the upload ({@link #complete}): the bytes are read back, held to what was declared,
 * inspected like any media file and copied under the media's own key, which no upload URL can write.
 */
@ApplicationScoped
public class MediaUploads {
  public static final String AWAITING_UPLOAD = "awaiting_upload";
  public static final String COMPLETED = "completed";
  public static final String EXPIRED = "expired";

  @Inject MediaStorage storage;
  @Inject MediaUrls urls;
  @Inject MediaService media;
  @Inject Idempotency idempotency;

  @ConfigProperty(name = "postflow.media.upload-ttl")
  Duration uploadTtl;

  public record UploadRequest(String contentType, Long sizeBytes, String altText) {}

  /** An upload as the API shows it; {@code upload_url} only while the bytes may still be PUT. */
  public record UploadView(String id, String status, String contentType, long sizeBytes, String altText, String uploadUrl,
      String uploadMethod, Map<String, String> uploadHeaders, Instant expiresAt, String mediaId, Instant createdAt) {}

  /** 201 with the upload and its URL; once per Idempotency-Key. Every field's error in one 400. */
  public Uni<Response> create(String workspaceId, String idempotencyKey, UploadRequest request) {
    check(request);
    return idempotency.once(workspaceId, idempotencyKey, "POST /v1/media/uploads", request,
        () -> insert(workspaceId, request).map(view -> Response.status(201).entity(view).build()));
  }

  @WithTransaction
  Uni<UploadView> insert(String workspaceId, UploadRequest request) {
    MediaUpload upload = new MediaUpload();
    upload.id = Ids.newId("upl");
    upload.workspaceId = workspaceId;
    upload.contentType = request.contentType();
    upload.sizeBytes = request.sizeBytes();
    upload.altText = request.altText();
    upload.storageKey = workspaceId + "/uploads/" + upload.id;
    upload.createdAt = Instant.now();
    upload.expiresAt = upload.createdAt.plus(uploadTtl).truncatedTo(ChronoUnit.SECONDS);
    return upload.persist().map(saved -> view(upload));
  }

  @WithSession
  public Uni<UploadView> get(String workspaceId, String id) {
    return find(workspaceId, id).map(this::view);
  }

  @WithSession
  Uni<MediaUpload> load(String workspaceId, String id) {
    return find(workspaceId, id);
  }

  /**
   * posts-api's own upload URL (local storage): the signature, then the declared type and size, then the bytes,
   * stored under the upload's key. Blocking (a worker thread). PUT again replaces the bytes until the upload is complete.
   */
  public void receive(String id, Long expires, String signature, String contentType, InputStream body) {
    if (expires == null || !urls.verifyUpload(id, expires, signature)) {
      throw new ProblemException(403, "invalid_signature", "Invalid or expired link", "this upload link is not valid (or has expired)");
    }
    MediaUpload upload = await(() -> findById(id));
    if (upload == null) throw ProblemException.notFound("upload " + id);
    if (upload.mediaId != null) {
      throw new ProblemException(409, "upload_completed", "Upload completed",
          "this upload is complete: its media is " + upload.mediaId + "; create a new upload for another file");
    }
    if (contentType == null || !baseType(contentType).equals(upload.contentType)) {
      throw new ProblemException(415, "upload_type_mismatch", "Content-Type is not the declared one",
          "this upload was declared as " + upload.contentType + "; send the file with Content-Type: " + upload.contentType);
    }
    Path file = MediaService.tempFile();
    try {
      try {
        MediaService.copyLimited(body, file, upload.sizeBytes);
      } catch (ProblemException tooLarge) {
        throw new ProblemException(413, "upload_size_mismatch", "Larger than declared",
            "this upload was declared as " + upload.sizeBytes + " bytes and the body is longer; create a new upload with the file's size");
      }
      long received = Files.size(file);
      if (received != upload.sizeBytes) {
        throw new ProblemException(400, "upload_size_mismatch", "Smaller than declared",
            "this upload was declared as " + upload.sizeBytes + " bytes and the body had " + received + "; send the whole file");
      }
      storage.put(upload.storageKey, file);
    } catch (IOException e) {
      throw new ProblemException(400, "upload_interrupted", "Upload interrupted", "the upload did not complete: " + e.getMessage());
    } finally {
      MediaService.deleteQuietly(file);
    }
  }

  /**
   * Makes the uploaded bytes a media file: 201 with the media, or 200 with the same media when the upload was already
   * completed. 409 upload_missing before the bytes are there; 422 when they are not the declared type or size (PUT
   * the right file again and complete again). Blocking (a worker thread): the bytes are read back and inspected.
   */
  public Response complete(String workspaceId, String id) {
    MediaUpload upload = await(() -> load(workspaceId, id));
    if (upload.mediaId != null) return Response.ok(await(() -> media.get(workspaceId, upload.mediaId))).build();
    MediaService.Received received;
    try (InputStream bytes = storage.open(upload.storageKey)) {
      received = media.receive(bytes, upload.altText);
    } catch (NoSuchFileException e) {
      throw new ProblemException(409, "upload_missing", "Nothing uploaded yet",
          "no bytes were uploaded for " + id + ": PUT the file to its upload_url (before expires_at), then complete it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Media stored;
    try {
      if (received.size() != upload.sizeBytes) {
        throw new ProblemException(422, "upload_size_mismatch", "Not the declared size", "the upload was declared as "
            + upload.sizeBytes + " bytes and the stored file has " + received.size() + "; PUT the whole file again and complete it");
      }
      if (!received.facts().mimeType().equals(upload.contentType)) {
        throw new ProblemException(422, "upload_type_mismatch", "Not the declared type", "the upload was declared as "
            + upload.contentType + " and the file is " + received.facts().mimeType()
            + " (judged by its content); PUT the right file again and complete it, or create a new upload with its type");
      }
      stored = media.store(workspaceId, received);
    } finally {
      media.discard(received);
    }
    String answered;
    try {
      answered = await(() -> finish(id, stored));
    } catch (RuntimeException e) {
      media.discard(stored);
      throw e;
    }
    if (!answered.equals(stored.id)) {
      media.discard(stored);
      return Response.ok(await(() -> media.get(workspaceId, answered))).build();
    }
    try {
      storage.delete(upload.storageKey);
    } catch (IOException e) {
      Log.warnf("could not delete the uploaded bytes of %s (the cleanup will): %s", id, e.getMessage());
    }
    return Response.status(201).entity(MediaView.of(stored)).build(); // the row just written: no second read
  }

  /** The media the upload became: this one, or the one a concurrent completion made first (the upload's row is locked). */
  @WithTransaction
  Uni<String> finish(String id, Media stored) {
    return MediaUpload.<MediaUpload>findById(id, LockModeType.PESSIMISTIC_WRITE).chain(upload -> {
      if (upload == null) throw ProblemException.notFound("upload " + id);
      if (upload.mediaId != null) return Uni.createFrom().item(upload.mediaId);
      upload.mediaId = stored.id;
      return stored.persist().replaceWith(stored.id);
    });
  }

  private void check(UploadRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) throw ProblemException.validation(List.of(FieldError.of("content_type", "required", "give the file's content_type and size_bytes")));
    if (request.contentType() == null || request.contentType().isBlank()) {
      errors.add(FieldError.of("content_type", "required", "give the file's MIME type, e.g. video/mp4"));
    } else if (!MediaInspector.TYPES.contains(request.contentType())) {
      errors.add(FieldError.of("content_type", "unsupported_media_type", "content_type must be one of " + MediaInspector.TYPES.stream().sorted().toList()));
    }
    if (request.sizeBytes() == null) {
      errors.add(FieldError.of("size_bytes", "required", "give the file's size in bytes"));
    } else if (request.sizeBytes() < 1) {
      errors.add(FieldError.of("size_bytes", "invalid_value", "size_bytes must be at least 1"));
    } else if (request.sizeBytes() > media.maxBytes()) {
      errors.add(FieldError.of("size_bytes", "too_large", "media files may be at most " + media.maxBytes() + " bytes"));
    }
    if (request.altText() != null && request.altText().length() > 1000) {
      errors.add(FieldError.of("alt_text", "too_long", "alt_text may be at most 1000 characters"));
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
  }

  private UploadView view(MediaUpload upload) {
    boolean open = upload.mediaId == null && Instant.now().isBefore(upload.expiresAt);
    String status = upload.mediaId != null ? COMPLETED : open ? AWAITING_UPLOAD : EXPIRED;
    String url = open ? uploadUrl(upload) : null;
    return new UploadView(upload.id, status, upload.contentType, upload.sizeBytes, upload.altText, url, open ? "PUT" : null,
        open ? Map.of("Content-Type", upload.contentType) : null, upload.expiresAt, upload.mediaId, upload.createdAt);
  }

  private String uploadUrl(MediaUpload upload) {
    String presigned = storage.presignPut(upload.storageKey, upload.contentType, upload.sizeBytes,
        Duration.between(Instant.now(), upload.expiresAt));
    return presigned != null ? presigned : urls.signedUploadUrl(upload.id, upload.expiresAt);
  }

  private Uni<MediaUpload> find(String workspaceId, String id) {
    return MediaUpload.<MediaUpload>find("id = ?1 and workspaceId = ?2", id, workspaceId).firstResult().map(upload -> {
      if (upload == null) throw ProblemException.notFound("upload " + id);
      return upload;
    });
  }

  @WithSession
  Uni<MediaUpload> findById(String id) {
    return MediaUpload.findById(id);
  }

  private static String baseType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
  }

  private static <T> T await(java.util.function.Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
