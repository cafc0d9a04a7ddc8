package dev.postflow.posts.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** AWS Signature Version 4 for S3-compatible storage (AWS S3, MinIO, Ceph, R2, …): a request's Authorization header, or a presigned URL. */
public final class SigV4 {
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  public static final String EMPTY_PAYLOAD = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private SigV4() {}

  /**
   * @param canonicalUri the URI-encoded path ("/bucket/key")
   * @param headers the headers to sign, names in any case (host, x-amz-date and x-amz-content-sha256 at least)
   * @param amzDate yyyyMMdd'T'HHmmss'Z'
   */
  public static String authorization(String method, String canonicalUri, String canonicalQuery, Map<String, String> headers,
      String payloadHash, String amzDate, String region, String accessKey, String secretKey) {
    Map<String, String> sorted = canonicalHeaders(headers);
    String signedHeaders = String.join(";", sorted.keySet());
    String signature = signature(method, canonicalUri, canonicalQuery, sorted, payloadHash, amzDate, region, secretKey);
    return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope(amzDate, region) + ", SignedHeaders=" + signedHeaders
        + ", Signature=" + signature;
  }

  /**
   * A presigned URL's query (authentication in query parameters, "Authenticating Requests: Using Query Parameters"):
   * whoever holds the URL may send this one request until it expires, with exactly the signed headers' values (a PUT's
   * Content-Type and Content-Length, so the bucket refuses another type or size). The payload is unsigned.
   *
   * @param headers the headers the request must carry, host included
   */
  public static String presignedQuery(String method, String canonicalUri, Map<String, String> headers, String amzDate,
      long expiresSeconds, String region, String accessKey, String secretKey) {
    Map<String, String> sorted = canonicalHeaders(headers);
    Map<String, String> query = new TreeMap<>();
    query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    query.put("X-Amz-Credential", accessKey + "/" + scope(amzDate, region));
    query.put("X-Amz-Date", amzDate);
    query.put("X-Amz-Expires", Long.toString(expiresSeconds));
    query.put("X-Amz-SignedHeaders", String.join(";", sorted.keySet()));
    String canonicalQuery = canonicalQuery(query);
    return canonicalQuery + "&X-Amz-Signature="
        + signature(method, canonicalUri, canonicalQuery, sorted, UNSIGNED_PAYLOAD, amzDate, region, secretKey);
  }

  /** Query parameters sorted by name, names and values encoded as SigV4 asks ('/' too). */
  public static String canonicalQuery(Map<String, String> parameters) {
    return new TreeMap<>(parameters).entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, String> canonicalHeaders(Map<String, String> headers) {
    Map<String, String> sorted = new TreeMap<>();
    headers.forEach((name, value) -> sorted.put(name.toLowerCase(), value.trim().replaceAll(" +", " ")));
    return sorted;
  }

  private static String scope(String amzDate, String region) {
    return amzDate.substring(0, 8) + "/" + region + "/s3/aws4_request";
  }

  private static String signature(String method, String canonicalUri, String canonicalQuery, Map<String, String> sortedHeaders,
      String payloadHash, String amzDate, String region, String secretKey) {
    String canonicalHeaders = sortedHeaders.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n").collect(Collectors.joining());
    String signedHeaders = String.join(";", sortedHeaders.keySet());
    String canonicalRequest = method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    String date = amzDate.substring(0, 8);
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope(amzDate, region) + "\n"
        + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, stringToSign));
  }

  /** Path segments encoded as S3 expects ('/' kept, everything but unreserved characters percent-encoded). */
  public static String encodePath(String path) {
    return encode(path, true);
  }

  /** A query parameter's name or value: everything but unreserved characters percent-encoded, '/' too. */
  public static String encode(String value) {
    return encode(value, false);
  }

  private static String encode(String value, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/') out.append(c);
      else out.append('%').append(String.format("%02X", b & 0xff));
    }
    return out.toString();
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
