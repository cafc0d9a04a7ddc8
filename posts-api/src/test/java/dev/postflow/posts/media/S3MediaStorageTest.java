package dev.postflow.posts.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** postflow.media.storage=s3: uploads land in the bucket, signed links serve them from it, deletes remove them. */
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
}
