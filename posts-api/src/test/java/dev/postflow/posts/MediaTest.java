package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.sun.net.httpserver.HttpServer;
import dev.postflow.posts.media.MediaUrls;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contract section 3: media uploads, imports, what is read from the file, signed links, and deletion rules. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class MediaTest {
  @Inject MediaUrls urls;

  @Test
  void anUploadIsJudgedByItsBytesNotItsNameOrContentType() {
    String key = Api.newWorkspace();
    byte[] jpeg = MediaFiles.jpeg(640, 480);
    String id = given().header("Authorization", "Bearer " + key).contentType("image/png").body(jpeg)
        .post("/v1/media").then().statusCode(201)
        .body("mime_type", equalTo("image/jpeg"))
        .body("width", equalTo(640)).body("height", equalTo(480))
        .body("size_bytes", equalTo(jpeg.length))
        .body("status", equalTo("ready"))
        .extract().path("id");
    as(key).get("/v1/media/" + id).then().statusCode(200).body("id", equalTo(id)).body("duration_ms", nullValue());

    // multipart with alt text
    given().header("Authorization", "Bearer " + key).multiPart("file", "photo.jpg", MediaFiles.png(320, 200), "image/jpeg")
        .multiPart("alt_text", "a blue square with a white circle")
        .post("/v1/media").then().statusCode(201)
        .body("mime_type", equalTo("image/png")).body("width", equalTo(320)).body("height", equalTo(200))
        .body("alt_text", equalTo("a blue square with a white circle"));

    // a video: dimensions and duration from its header
    given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.mp4(1080, 1920, 12_500))
        .post("/v1/media").then().statusCode(201)
        .body("mime_type", equalTo("video/mp4")).body("width", equalTo(1080)).body("height", equalTo(1920))
        .body("duration_ms", equalTo(12500));

    // not a media file, whatever it claims
    given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body("just some text, not a picture".getBytes())
        .post("/v1/media").then().statusCode(415).contentType(containsString("application/problem+json"))
        .body("code", equalTo("unsupported_media_type"));

    // beyond postflow.media.max-bytes (2 MB in tests): 413 problem
    given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body(new byte[3 * 1024 * 1024])
        .post("/v1/media").then().statusCode(413).body("code", equalTo("payload_too_large"));

    // another workspace cannot see it
    as(Api.newWorkspace()).get("/v1/media/" + id).then().statusCode(404);
  }

  @Test
  void importFromAUrlPassesTheSsrfGuard() throws Exception {
    String key = Api.newWorkspace();
    byte[] png = MediaFiles.png(200, 100);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/cat.png", exchange -> {
      exchange.sendResponseHeaders(200, png.length);
      exchange.getResponseBody().write(png);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cat.png";
      as(key).body(Map.of("url", url, "alt_text", "a cat")).post("/v1/media").then().statusCode(201)
          .body("mime_type", equalTo("image/png")).body("width", equalTo(200)).body("source_url", equalTo(url))
          .body("alt_text", equalTo("a cat"));
      as(key).body(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/missing.png")).post("/v1/media")
          .then().statusCode(422).body("code", equalTo("media_import_failed"));
    } finally {
      server.stop(0);
    }
    for (String hostile : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.1/a.jpg", "http://[::ffff:192.168.1.1]/a.jpg",
        "file:///etc/passwd")) {
      as(key).body(Map.of("url", hostile)).post("/v1/media").then().statusCode(400).body("code", equalTo("unsafe_url"));
    }
    // The servers an account names (a Mastodon instance, a Bluesky PDS) pass the same guard before anything calls them.
    as(key).body(Map.of("platform", "mastodon", "external_id", "1", "access_token", "t", "instance_url", "http://192.168.0.10"))
        .post("/v1/accounts").then().statusCode(400).body("errors[0].field", equalTo("instance_url")).body("errors[0].code", equalTo("unsafe_url"));
    as(key).body(Map.of("platform", "bluesky", "external_id", "did:plc:x", "access_token", "t", "pds_url", "http://169.254.169.254"))
        .post("/v1/accounts").then().statusCode(400).body("errors[0].field", equalTo("pds_url"));
  }

  @Test
  void signedLinksServeTheBytesUntilTheyExpire() {
    String key = Api.newWorkspace();
    byte[] jpeg = MediaFiles.jpeg(100, 100);
    String id = given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body(jpeg)
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String signed = urls.signedUrl(id, Instant.now().plusSeconds(60));
    String path = signed.substring(signed.indexOf("/media/"));
    byte[] served = given().get(path).then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
    assertArrayEquals(jpeg, served);

    given().get(path.replace("signature=", "signature=x")).then().statusCode(403).body("code", equalTo("invalid_signature"));
    String expired = urls.signedUrl(id, Instant.now().minusSeconds(1));
    given().get(expired.substring(expired.indexOf("/media/"))).then().statusCode(403);
    given().get("/media/" + id).then().statusCode(403);
  }

  @Test
  void mediaUsedByAnUnfinishedPostCannotBeDeleted() {
    String key = Api.newWorkspace();
    String account = Api.sandboxAccount(key);
    String media = given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body(MediaFiles.jpeg(64, 64))
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String post = as(key).body(Map.of("text", "with a picture", "account_ids", List.of(account), "media_ids", List.of(media),
            "scheduled_at", Instant.now().plusSeconds(3600).toString()))
        .post("/v1/posts").then().statusCode(201).body("media_ids", hasItems(media)).extract().path("id");
    as(key).delete("/v1/media/" + media).then().statusCode(409).body("code", equalTo("media_in_use"))
        .body("detail", containsString(post));
    as(key).delete("/v1/posts/" + post).then().statusCode(200).body("status", equalTo("cancelled"));
    as(key).delete("/v1/media/" + media).then().statusCode(204);
    as(key).get("/v1/media/" + media).then().statusCode(404);
  }

  @Test
  void eachPlatformsRulesAreCheckedWithEveryProblemInOneAnswer() {
    String key = Api.newWorkspace();
    String instagram = connect(key, "instagram", Map.of());
    String youtube = connect(key, "youtube", Map.of());
    String x = connect(key, "x", Map.of());
    String bluesky = connect(key, "bluesky", Map.of());
    String png = given().header("Authorization", "Bearer " + key).contentType("image/png").body(MediaFiles.png(300, 300))
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String tooLong = "👨‍👩‍👧‍👦".repeat(141); // 141 graphemes; X counts each emoji as 2 = 282 > 280

    as(key).body(Map.of(
            "text", tooLong,
            "targets", List.of(
                Map.of("account_id", instagram, "text", "no picture"),
                Map.of("account_id", youtube, "media_ids", List.of(png)),
                Map.of("account_id", x),
                Map.of("account_id", bluesky, "media_ids", List.of("med_missing"))),
            "scheduled_at", Instant.now().plusSeconds(3600).toString()))
        .post("/v1/posts").then().statusCode(400).contentType(containsString("application/problem+json"))
        .body("code", equalTo("validation_failed"))
        .body("errors.findAll { it.field == 'media_ids' && it.code == 'media_required' }.message", hasItems(containsString("instagram")))
        .body("errors.findAll { it.field == 'targets[1].media_ids[0]' }.code", hasItems("media_type_not_supported"))
        .body("errors.findAll { it.field == 'platform_options.youtube.title' }.code", hasItems("option_required"))
        .body("errors.findAll { it.field == 'text' && it.code == 'text_too_long' }.limit", hasItems(280))
        .body("errors.findAll { it.field == 'targets[3].media_ids[0]' }.code", hasItems("media_not_found"));

    // 141 graphemes is within Bluesky's 300: Bluesky alone accepts the same text
    as(key).body(Map.of("text", tooLong, "account_ids", List.of(bluesky))).post("/v1/posts").then().statusCode(201);
  }

  @Test
  void aYoutubeThumbnailIsAnImageOfTheWorkspaceAndIsHeldWhileThePostWaits() {
    String key = Api.newWorkspace();
    String youtube = connect(key, "youtube", Map.of());
    String video = given().header("Authorization", "Bearer " + key).contentType("video/mp4").body(MediaFiles.mp4(1280, 720, 5_000))
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String png = given().header("Authorization", "Bearer " + key).contentType("image/png").body(MediaFiles.png(1280, 720))
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String later = Instant.now().plusSeconds(3600).toString();

    // not a media of this workspace, and a video where an image belongs: each named at its own field
    as(key).body(Map.of("text", "About", "media_ids", List.of(video),
            "platform_options", Map.of("youtube", Map.of("title", "T", "privacy", "public", "thumbnail", "med_missing")),
            "targets", List.of(Map.of("account_id", youtube)), "scheduled_at", later))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.field == 'platform_options.youtube.thumbnail' }.code", hasItems("media_not_found"));
    as(key).body(Map.of("text", "About", "media_ids", List.of(video), "scheduled_at", later, "targets", List.of(Map.of("account_id", youtube,
            "platform_options", Map.of("youtube", Map.of("title", "T", "privacy", "public", "thumbnail", video))))))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.field == 'targets[0].platform_options.youtube.thumbnail' }.code", hasItems("media_type_not_supported"));

    String post = as(key).body(Map.of("text", "About", "media_ids", List.of(video), "account_ids", List.of(youtube), "scheduled_at", later,
            "platform_options", Map.of("youtube", Map.of("title", "T", "privacy", "public", "thumbnail", png))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/media/" + png).then().statusCode(409).body("code", equalTo("media_in_use")).body("detail", containsString(post));
    as(key).delete("/v1/posts/" + post).then().statusCode(200);
    as(key).delete("/v1/media/" + png).then().statusCode(204);
  }

  @Test
  void aThreadReplysMediaIsCheckedAndHeldWhileThePostWaits() {
    String key = Api.newWorkspace();
    String bluesky = connect(key, "bluesky", Map.of());
    String jpeg = given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body(MediaFiles.jpeg(800, 600))
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String later = Instant.now().plusSeconds(3600).toString();
    as(key).body(Map.of("text", "1/2", "account_ids", List.of(bluesky), "scheduled_at", later, "platform_options", Map.of("bluesky",
            Map.of("thread", List.of(Map.of("text", "2/2", "media_ids", List.of(jpeg, "med_missing")))))))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.field == 'platform_options.bluesky.thread[0].media_ids[1]' }.code", hasItems("media_not_found"));

    String post = as(key).body(Map.of("text", "1/2", "account_ids", List.of(bluesky), "scheduled_at", later, "platform_options", Map.of("bluesky",
            Map.of("thread", List.of(Map.of("text", "2/2 with a picture", "media_ids", List.of(jpeg)))))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/media/" + jpeg).then().statusCode(409).body("code", equalTo("media_in_use")).body("detail", containsString(post));
    as(key).delete("/v1/posts/" + post).then().statusCode(200);
    as(key).delete("/v1/media/" + jpeg).then().statusCode(204);
  }

  @Test
  void aPdfIsADocumentWithItsPagesForLinkedInAlone() throws Exception {
    String key = Api.newWorkspace();
    String document = given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.pdf(12))
        .post("/v1/media").then().statusCode(201)
        .body("mime_type", equalTo("application/pdf")).body("pages", equalTo(12)).body("width", nullValue())
        .extract().path("id");
    // images show no page count
    given().header("Authorization", "Bearer " + key).contentType("image/jpeg").body(MediaFiles.jpeg(64, 64))
        .post("/v1/media").then().statusCode(201).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("pages")));

    // refused at upload: more pages than LinkedIn takes, a PDF that cannot be read, one locked by a password
    given().header("Authorization", "Bearer " + key).contentType("application/pdf").body(MediaFiles.pdf(301))
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_too_many_pages")).body("detail", containsString("301"));
    given().header("Authorization", "Bearer " + key).contentType("application/pdf").body("%PDF-1.7 and then nothing of a PDF".getBytes())
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_unreadable"));
    java.io.ByteArrayOutputStream locked = new java.io.ByteArrayOutputStream();
    try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(MediaFiles.pdf(2))) {
      org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy policy = new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy(
          "owner-secret", "user-secret", new org.apache.pdfbox.pdmodel.encryption.AccessPermission());
      policy.setEncryptionKeyLength(128);
      pdf.protect(policy);
      pdf.save(locked);
    }
    given().header("Authorization", "Bearer " + key).contentType("application/pdf").body(locked.toByteArray())
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_unreadable")).body("detail", containsString("password"));

    String linkedin = connect(key, "linkedin", Map.of());
    String x = connect(key, "x", Map.of());
    String later = Instant.now().plusSeconds(3600).toString();
    // every problem in one answer: LinkedIn needs the document's title, X takes no documents
    as(key).body(Map.of("text", "Our report", "media_ids", List.of(document), "account_ids", List.of(linkedin, x), "scheduled_at", later))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.field == 'platform_options.linkedin.document_title' }.code", hasItems("option_required"))
        .body("errors.findAll { it.field == 'media_ids[0]' && it.code == 'media_type_not_supported' }.message",
            hasItems(containsString("x takes no documents")));
    String post = as(key).body(Map.of("text", "Our report", "media_ids", List.of(document), "account_ids", List.of(linkedin),
            "scheduled_at", later, "platform_options", Map.of("linkedin", Map.of("document_title", "Report 2026"))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/media/" + document).then().statusCode(409).body("code", equalTo("media_in_use")).body("detail", containsString(post));
  }

  @Test
  void powerPointAndWordFilesAreDocumentsTooCountedBySlidesAndPages() {
    String key = Api.newWorkspace();
    String deck = given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.pptx(14))
        .post("/v1/media").then().statusCode(201)
        .body("mime_type", equalTo("application/vnd.openxmlformats-officedocument.presentationml.presentation")).body("pages", equalTo(14))
        .extract().path("id");
    given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.docx(9))
        .post("/v1/media").then().statusCode(201)
        .body("mime_type", equalTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).body("pages", equalTo(9));
    // a Word file saved without its page count: taken, its pages unknown (LinkedIn counts them)
    given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.docx(null))
        .post("/v1/media").then().statusCode(201).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("pages")));

    // refused at upload: more slides than LinkedIn takes, a presentation without slides, the Office formats of before
    // 2007 (their pages cannot be counted here), and a ZIP archive that is no Office file
    given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.pptx(301))
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_too_many_pages")).body("detail", containsString("301 slides"));
    given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.docx(450))
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_too_many_pages")).body("detail", containsString("450 pages"));
    given().header("Authorization", "Bearer " + key).contentType("application/octet-stream").body(MediaFiles.pptx(0))
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_unreadable"));
    byte[] legacy = new byte[4096];
    System.arraycopy(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1}, 0, legacy, 0, 8);
    given().header("Authorization", "Bearer " + key).contentType("application/vnd.ms-powerpoint").body(legacy)
        .post("/v1/media").then().statusCode(422).body("code", equalTo("document_legacy_format")).body("detail", containsString(".pptx"));
    java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(archive)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("notes.txt"));
      zip.write("just a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    given().header("Authorization", "Bearer " + key).contentType("application/zip").body(archive.toByteArray())
        .post("/v1/media").then().statusCode(415);

    // a deck is a document like a PDF: LinkedIn alone takes it, with its title
    String linkedin = connect(key, "linkedin", Map.of());
    String x = connect(key, "x", Map.of());
    String later = Instant.now().plusSeconds(3600).toString();
    as(key).body(Map.of("text", "Our deck", "media_ids", List.of(deck), "account_ids", List.of(x), "scheduled_at", later))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.field == 'media_ids[0]' }.code", hasItems("media_type_not_supported"));
    as(key).body(Map.of("text", "Our deck", "media_ids", List.of(deck), "account_ids", List.of(linkedin), "scheduled_at", later,
            "platform_options", Map.of("linkedin", Map.of("document_title", "Q4 deck"))))
        .post("/v1/posts").then().statusCode(201);
  }

  @Test
  void captionFilesAreWebVttHeldWhileTheirVideosPostWaits() {
    String key = Api.newWorkspace();
    String bluesky = connect(key, "bluesky", Map.of());
    String video = given().header("Authorization", "Bearer " + key).contentType("video/mp4").body(MediaFiles.mp4(1280, 720, 5_000))
        .post("/v1/media").then().statusCode(201).extract().path("id");
    String english = given().header("Authorization", "Bearer " + key).contentType("text/plain").body(MediaFiles.vtt("Hello", 3))
        .post("/v1/media").then().statusCode(201).body("mime_type", equalTo("text/vtt")).extract().path("id");
    byte[] binary = new byte[64];
    System.arraycopy("WEBVTT\n\n".getBytes(), 0, binary, 0, 8);
    binary[20] = (byte) 0xC3;   // a UTF-8 lead byte without its continuation
    given().header("Authorization", "Bearer " + key).contentType("text/vtt").body(binary)
        .post("/v1/media").then().statusCode(422).body("code", equalTo("captions_unreadable"));
    String later = Instant.now().plusSeconds(3600).toString();
    as(key).body(Map.of("text", "With captions", "media_ids", List.of(video), "account_ids", List.of(bluesky), "scheduled_at", later,
            "platform_options", Map.of("bluesky", Map.of("captions", List.of(Map.of("lang", "en", "media_id", english),
                Map.of("lang", "de", "media_id", "med_missing"))))))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.field == 'platform_options.bluesky.captions[1].media_id' }.code", hasItems("media_not_found"));
    // a caption file is not a post's media
    as(key).body(Map.of("text", "a file", "media_ids", List.of(english), "account_ids", List.of(bluesky), "scheduled_at", later))
        .post("/v1/posts").then().statusCode(400)
        .body("errors.findAll { it.code == 'media_type_not_supported' }.message", hasItems(containsString("captions go in")));

    String post = as(key).body(Map.of("text", "With captions", "media_ids", List.of(video), "account_ids", List.of(bluesky), "scheduled_at", later,
            "platform_options", Map.of("bluesky", Map.of("captions", List.of(Map.of("lang", "en", "media_id", english))))))
        .post("/v1/posts").then().statusCode(201).extract().path("id");
    as(key).delete("/v1/media/" + english).then().statusCode(409).body("code", equalTo("media_in_use")).body("detail", containsString(post));
  }

  private static String connect(String key, String platform, Map<String, Object> extra) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("platform", platform, "external_id", platform + "-user",
        "access_token", platform + "-token"));
    body.putAll(extra);
    return as(key).body(body).post("/v1/accounts").then().statusCode(201).extract().path("id");
  }
}
