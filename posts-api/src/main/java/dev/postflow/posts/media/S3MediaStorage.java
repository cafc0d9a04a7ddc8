package dev.postflow.posts.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Media bytes in an S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, …), path-style
 * ({@code <endpoint>/<bucket>/<key>}), requests signed with Signature Version 4. Several posts-api replicas share it.
 */
public class S3MediaStorage implements MediaStorage {
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final URI endpoint;
  private final String bucket;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public S3MediaStorage(String endpoint, String bucket, String region, String accessKey, String secretKey) {
    this.endpoint = URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    this.bucket = bucket;
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    HttpResponse<String> response = send(signed("PUT", key, Files.size(file)).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new IOException("S3 PUT " + key + " answered " + response.statusCode() + ": " + response.body());
    Files.deleteIfExists(file);
  }

  @Override
  public InputStream open(String key) throws IOException {
    HttpResponse<InputStream> response = send(signed("GET", key, -1).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      if (response.statusCode() == 404) throw new java.nio.file.NoSuchFileException(key);
      throw new IOException("S3 GET " + key + " answered " + response.statusCode());
    }
    return response.body();
  }

  @Override
  public void delete(String key) throws IOException {
    HttpResponse<String> response = send(signed("DELETE", key, -1).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 204 && response.statusCode() != 200 && response.statusCode() != 404) {
      throw new IOException("S3 DELETE " + key + " answered " + response.statusCode());
    }
  }

  /** A presigned PUT (at most 7 days, S3's limit) that signs Content-Type and Content-Length: S3 refuses another type or size. */
  @Override
  public String presignPut(String key, String contentType, long sizeBytes, Duration validFor) {
    String path = SigV4.encodePath("/" + bucket + "/" + key);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", host());
    headers.put("content-type", contentType);
    headers.put("content-length", Long.toString(sizeBytes));
    long seconds = Math.max(1, Math.min(validFor.toSeconds(), Duration.ofDays(7).toSeconds()));
    String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
    return endpoint + path + "?" + SigV4.presignedQuery("PUT", path, headers, amzDate, seconds, region, accessKey, secretKey);
  }

  private String host() {
    return endpoint.getPort() == -1 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
  }

  private HttpRequest.Builder signed(String method, String key, long length) {
    String path = SigV4.encodePath("/" + bucket + "/" + key);
    String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", host());
    headers.put("x-amz-content-sha256", method.equals("PUT") ? SigV4.UNSIGNED_PAYLOAD : SigV4.EMPTY_PAYLOAD);
    headers.put("x-amz-date", amzDate);
    String authorization = SigV4.authorization(method, path, "", headers, headers.get("x-amz-content-sha256"), amzDate, region, accessKey, secretKey);
    return HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofMinutes(10))
        .header("x-amz-content-sha256", headers.get("x-amz-content-sha256"))
        .header("x-amz-date", amzDate)
        .header("Authorization", authorization);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
