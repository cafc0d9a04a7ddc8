package dev.postflow.posts.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signed, expiring URLs for a media file's bytes ({@code GET /media/{id}?expires=&signature=}, no API key): platforms
 * that pull media (Instagram, Threads, TikTok pull mode, Pinterest, Google Business Profile) fetch them, and the
 * publishers download from them to upload to the others. The signature is an HMAC-SHA256 of id and expiry.
 */
@ApplicationScoped
public class MediaUrls {
  private final SecretKeySpec key;
  private final String baseUrl;
  private final Duration ttl;

  MediaUrls(@ConfigProperty(name = "postflow.media.url-signing-key") String signingKey,
      @ConfigProperty(name = "postflow.public-base-url") String baseUrl,
      @ConfigProperty(name = "postflow.media.url-ttl") Duration ttl) {
    this.key = new SecretKeySpec(Base64.getDecoder().decode(signingKey), "HmacSHA256");
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.ttl = ttl;
  }

  public Instant expiryFromNow() {
    return Instant.now().plus(ttl);
  }

  public String signedUrl(String mediaId, Instant expires) {
    long epoch = expires.getEpochSecond();
    return baseUrl + "/media/" + mediaId + "?expires=" + epoch + "&signature=" + signature(mediaId + "\n" + epoch);
  }

  /** True when the signature is ours and has not expired. */
  public boolean verify(String mediaId, long expires, String signature) {
    return valid(mediaId + "\n" + expires, expires, signature);
  }

  /**
   * Where a direct upload's bytes are PUT when the storage has no presigned URLs of its own (a local directory):
   * {@code PUT /media/uploads/{id}?expires=&signature=}, signed apart from download links, so one is never the other.
   */
  public String signedUploadUrl(String uploadId, Instant expires) {
    long epoch = expires.getEpochSecond();
    return baseUrl + "/media/uploads/" + uploadId + "?expires=" + epoch + "&signature=" + signature("upload\n" + uploadId + "\n" + epoch);
  }

  public boolean verifyUpload(String uploadId, long expires, String signature) {
    return valid("upload\n" + uploadId + "\n" + expires, expires, signature);
  }

  private boolean valid(String signed, long expires, String signature) {
    if (signature == null || Instant.now().getEpochSecond() > expires) return false;
    return MessageDigest.isEqual(signature(signed).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String signature(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
