package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.posts.media.MediaStorage;
import dev.postflow.posts.media.MediaUploadCleanup;
import dev.postflow.posts.media.MediaUrls;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Direct uploads with local storage: declare the file, PUT its bytes to posts-api's signed upload URL, complete it; the
 * bytes are held to the declared type and size before they become media.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class MediaUploadTest {
  @Inject MediaUrls urls;
  @Inject MediaStorage storage;
  @Inject MediaUploadCleanup cleanup;

  @Test
  void aFileUploadedToItsUrlBecomesMediaOnceCompleted() throws Exception {
    String key = Api.newWorkspace();
    byte[] video = MediaFiles.mp4(1080, 1920, 12_500);
    Instant before = Instant.now();
    var created = as(key).body(Map.of("content_type", "video/mp4", "size_bytes", video.length, "alt_text", "the launch"))
        .post("/v1/media/uploads").then().statusCode(201)
        .body("status", equalTo("awaiting_upload")).body("upload_method", equalTo("PUT"))
        .body("upload_headers.Content-Type", equalTo("video/mp4")).body("media_id", nullValue())
        .body("upload_url", containsString("/media/uploads/upl_")).extract();
    String id = created.path("id");
    String put = relative(created.path("upload_url"));
    Duration valid = Duration.between(before, Instant.parse(created.path("expires_at")));
    assertTrue(valid.compareTo(Duration.ofMinutes(59)) > 0 && valid.compareTo(Duration.ofMinutes(61)) < 0, valid.toString());

    as(key).post("/v1/media/uploads/" + id + "/complete").then().statusCode(409).body("code", equalTo("upload_missing"))
        .body("detail", containsString("upload_url"));

    // The URL takes exactly what was declared.
    given().contentType("video/mp4").body(video).put(put.replace("signature=", "signature=x")).then().statusCode(403)
        .body("code", equalTo("invalid_signature"));
    given().contentType("video/quicktime").body(video).put(put).then().statusCode(415).body("code", equalTo("upload_type_mismatch"));
    byte[] longer = java.util.Arrays.copyOf(video, video.length + 10);
    given().contentType("video/mp4").body(longer).put(put).then().statusCode(413).body("code", equalTo("upload_size_mismatch"));
    given().contentType("video/mp4").body(java.util.Arrays.copyOf(video, video.length - 10)).put(put).then().statusCode(400)
        .body("code", equalTo("upload_size_mismatch"));
    given().contentType("video/mp4").body(video).put(put).then().statusCode(200);
    as(key).get("/v1/media/uploads/" + id).then().statusCode(200).body("status", equalTo("awaiting_upload"));

    String media = as(key).post("/v1/media/uploads/" + id + "/complete").then().statusCode(201)
        .body("id", not(equalTo(id))).body("status", equalTo("ready")).body("mime_type", equalTo("video/mp4"))
        .body("width", equalTo(1080)).body("height", equalTo(1920)).body("duration_ms", equalTo(12500))
        .body("size_bytes", equalTo(video.length)).body("alt_text", equalTo("the launch"))
        .extract().path("id");
    as(key).post("/v1/media/uploads/" + id + "/complete").then().statusCode(200).body("id", equalTo(media));
    as(key).get("/v1/media/uploads/" + id).then().statusCode(200).body("status", equalTo("completed"))
        .body("media_id", equalTo(media)).body("upload_url", nullValue());
    String signed = urls.signedUrl(media, Instant.now().plusSeconds(60));
    assertArrayEquals(video, given().get(relative(signed)).then().statusCode(200).extract().asByteArray());

    // The upload URL can no longer change the bytes, which were copied under the media's own key.
    given().contentType("video/mp4").body(video).put(put).then().statusCode(409).body("code", equalTo("upload_completed"));
    assertThrows(NoSuchFileException.class, () -> storage.open(storageKey(id)));

    // The media is like any other: a post can use it.
    String account = Api.sandboxAccount(key);
    as(key).body(Map.of("text", "uploaded directly", "account_ids", List.of(account), "media_ids", List.of(media),
            "scheduled_at", Instant.now().plusSeconds(3600).toString()))
        .post("/v1/posts").then().statusCode(201).body("media_ids", hasItems(media));
    as(Api.newWorkspace()).get("/v1/media/uploads/" + id).then().statusCode(404);
    as(Api.newWorkspace()).post("/v1/media/uploads/" + id + "/complete").then().statusCode(404);
  }

  @Test
  void anUploadIsHeldToWhatWasDeclared() {
    String key = Api.newWorkspace();
    as(key).body(Map.of("content_type", "text/plain", "size_bytes", 0, "alt_text", "x".repeat(1001))).post("/v1/media/uploads")
        .then().statusCode(400).contentType(containsString("application/problem+json"))
        .body("errors.field", hasItems("content_type", "size_bytes", "alt_text"))
        .body("errors.code", hasItems("unsupported_media_type", "invalid_value", "too_long"));
    as(key).body(Map.of("content_type", "video/mp4", "size_bytes", 3L * 1024 * 1024 * 1024)).post("/v1/media/uploads")
        .then().statusCode(400).body("errors[0].field", equalTo("size_bytes")).body("errors[0].code", equalTo("too_large"));
    as(key).body(Map.of()).post("/v1/media/uploads").then().statusCode(400)
        .body("errors.field", hasItems("content_type", "size_bytes")).body("errors.code", hasItems("required"));

    // Declared a PNG, sent a JPEG of that size under the PNG's Content-Type: judged by its content at completion.
    byte[] jpeg = MediaFiles.jpeg(320, 240);
    String id = as(key).body(Map.of("content_type", "image/png", "size_bytes", jpeg.length)).post("/v1/media/uploads")
        .then().statusCode(201).extract().path("id");
    String put = relative(as(key).get("/v1/media/uploads/" + id).then().extract().path("upload_url"));
    given().contentType("image/png").body(jpeg).put(put).then().statusCode(200);
    as(key).post("/v1/media/uploads/" + id + "/complete").then().statusCode(422).body("code", equalTo("upload_type_mismatch"))
        .body("detail", containsString("image/jpeg"));
    as(key).get("/v1/media/uploads/" + id).then().body("status", equalTo("awaiting_upload"));
    as(key).get("/v1/media").then().statusCode(200).body("data.size()", equalTo(0));

    // Once per Idempotency-Key.
    Map<String, Object> body = Map.of("content_type", "image/jpeg", "size_bytes", jpeg.length);
    String first = as(key).header("Idempotency-Key", "upload-1").body(body).post("/v1/media/uploads").then().statusCode(201)
        .extract().path("id");
    as(key).header("Idempotency-Key", "upload-1").body(body).post("/v1/media/uploads").then().statusCode(201)
        .header("Idempotent-Replayed", equalTo("true")).body("id", equalTo(first));

    // An expired link takes nothing.
    String expired = urls.signedUploadUrl(first, Instant.now().minusSeconds(1));
    given().contentType("image/jpeg").body(jpeg).put(relative(expired)).then().statusCode(403);
  }

  @Test
  void uploadsAreDeletedADayAfterTheirUrlExpiredAndTheirMediaStays() throws Exception {
    String key = Api.newWorkspace();
    byte[] jpeg = MediaFiles.jpeg(200, 100);
    String abandoned = startAndPut(key, jpeg);
    String completed = startAndPut(key, jpeg);
    String media = as(key).post("/v1/media/uploads/" + completed + "/complete").then().statusCode(201).extract().path("id");
    String recent = startAndPut(key, jpeg);
    String abandonedKey = storageKey(abandoned);
    try (Connection db = RealInfrastructure.jdbc(); Statement sql = db.createStatement()) {
      sql.execute("update posts.media_upload set expires_at = now() - interval '25 hours' where id in ('" + abandoned + "', '" + completed + "')");
      sql.execute("update posts.media_upload set expires_at = now() - interval '23 hours' where id = '" + recent + "'");
    }
    assertTrue(cleanup.deleteExpired() >= 2);
    as(key).get("/v1/media/uploads/" + abandoned).then().statusCode(404);
    as(key).get("/v1/media/uploads/" + completed).then().statusCode(404);
    as(key).get("/v1/media/uploads/" + recent).then().statusCode(200).body("status", equalTo("expired")).body("upload_url", nullValue());
    assertThrows(NoSuchFileException.class, () -> storage.open(abandonedKey));
    as(key).get("/v1/media/" + media).then().statusCode(200).body("status", equalTo("ready"));
  }

  private String startAndPut(String key, byte[] jpeg) {
    var created = as(key).body(Map.of("content_type", "image/jpeg", "size_bytes", jpeg.length)).post("/v1/media/uploads")
        .then().statusCode(201).extract();
    given().contentType("image/jpeg").body(jpeg).put(relative(created.path("upload_url"))).then().statusCode(200);
    return created.path("id");
  }

  private static String relative(String url) {
    return url.substring(url.indexOf("/media/"));
  }

  private static String storageKey(String uploadId) throws Exception {
    try (Connection db = RealInfrastructure.jdbc(); Statement sql = db.createStatement();
        ResultSet row = sql.executeQuery("select storage_key from posts.media_upload where id = '" + uploadId + "'")) {
      row.next();
      return row.getString(1);
    }
  }
}
