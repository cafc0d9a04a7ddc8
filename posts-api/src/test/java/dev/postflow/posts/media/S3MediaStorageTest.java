package dev.postflow.posts.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * postflow.media.storage=s3: uploads land in the bucket, signed links serve them from it, deletes remove them; a direct
 * upload's bytes go straight into the bucket through a presigned URL that signs their type and size.
 */
@QuarkusTest
@TestProfile(S3MediaStorageTest.WithS3.class)
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class S3MediaStorageTest {
  public static class WithS3 implements QuarkusTestProfile {
    @Override
    public java.util.List<TestResourceEntry> testResources() {
      return java.util.List.of(new TestResourceEntry(S3Simulator.class));
    }
  }

  @Inject MediaUrls urls;

  @Test
  void mediaBytesLiveInTheBucket() {
    String key = given().header("Authorization", "Bearer test-admin-key").contentType("application/json").body(Map.of("name", "S3"))
        .post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
    byte[] jpeg = MediaFiles.jpeg(300, 200);
    String id = given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body(jpeg).post("/v1/media")
        .then().statusCode(201).body("width", equalTo(300)).extract().path("id");
    String objectPath = S3Simulator.objects.keySet().stream().filter(p -> p.endsWith("/" + id)).findFirst().orElseThrow();
    assertTrue(objectPath.startsWith("/postflow-media/"), objectPath);
    assertArrayEquals(jpeg, S3Simulator.objects.get(objectPath));

    String signed = urls.signedUrl(id, Instant.now().plusSeconds(60));
    byte[] served = given().get(signed.substring(signed.indexOf("/media/"))).then().statusCode(200).extract().asByteArray();
    assertArrayEquals(jpeg, served);

    given().header("Authorization", "Bearer " + key).delete("/v1/media/" + id).then().statusCode(204);
    assertFalse(S3Simulator.objects.containsKey(objectPath));
  }

  @Test
  void aDirectUploadGoesStraightIntoTheBucket() throws Exception {
    String key = given().header("Authorization", "Bearer test-admin-key").contentType("application/json").body(Map.of("name", "S3 direct"))
        .post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
    byte[] video = MediaFiles.mp4(720, 1280, 4_000);
    var created = given().header("Authorization", "Bearer " + key).contentType("application/json")
        .body(Map.of("content_type", "video/mp4", "size_bytes", video.length)).post("/v1/media/uploads")
        .then().statusCode(201).extract();
    String id = created.path("id");
    String url = created.path("upload_url");
    assertTrue(url.startsWith(S3Simulator.endpoint() + "/postflow-media/"), url);
    assertTrue(url.contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"), url);
    String objectPath = java.net.URI.create(url).getRawPath();

    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.BiFunction<String, byte[], Integer> put = (type, bytes) -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Content-Type", type)
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
            .statusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    // The bucket refuses another type or size: both are signed.
    assertEquals(403, put.apply("video/quicktime", video));
    assertEquals(403, put.apply("video/mp4", java.util.Arrays.copyOf(video, video.length + 1)));
    assertFalse(S3Simulator.objects.containsKey(objectPath));
    int presigned = S3Simulator.presignedPuts.get();
    assertEquals(200, put.apply("video/mp4", video));
    assertEquals(presigned + 1, S3Simulator.presignedPuts.get());

    String media = given().header("Authorization", "Bearer " + key).post("/v1/media/uploads/" + id + "/complete").then().statusCode(201)
        .body("mime_type", equalTo("video/mp4")).body("width", equalTo(720)).body("duration_ms", equalTo(4000)).extract().path("id");
    String mediaPath = S3Simulator.objects.keySet().stream().filter(p -> p.endsWith("/" + media)).findFirst().orElseThrow();
    assertArrayEquals(video, S3Simulator.objects.get(mediaPath));
    assertFalse(S3Simulator.objects.containsKey(objectPath), "the uploaded object is deleted once copied under the media's key");
  }
}
