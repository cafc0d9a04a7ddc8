package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.testsupport.platforms.LinkedInSimulator;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class LinkedInPublisherTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  final LinkedInSimulator sim = Simulators.linkedin;
  String account;

  @BeforeEach
  void setUp() throws Exception {
    sim.reset();
    account = PlatformTestAccounts.insert(cipher, "linkedin", "urn:li:person:8675309", LinkedInSimulator.TOKEN, Map.of());
  }

  @Test
  void reservedCharactersAreEscapedSoNothingIsSilentlyCut() {
    String text = "Q3 results (preliminary) are in! #growth @team [link] 100% * done_ok ~ <3";
    PublishResult result = publish(publisher, request("linkedin", account, text, List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(text, sim.posts.get(0).path("visible_text").asText(), "the whole text is visible on LinkedIn");
    assertTrue(result.platformPostId().startsWith("urn:li:share:"));
    assertEquals("https://www.linkedin.com/feed/update/" + result.platformPostId(), result.permalink());
  }

  @Test
  void imagesAndAVideoAreRegisteredUploadedAndAttached() {
    MediaRef a = Simulators.media.add("med_li1", MediaFiles.jpeg(1200, 627), "image/jpeg", 1200, 627, null, "chart");
    MediaRef b = Simulators.media.add("med_li2", MediaFiles.png(1200, 627), "image/png", 1200, 627, null, null);
    PublishResult images = publish(publisher, request("linkedin", account, "two images", List.of(a, b), Map.of()));
    assertEquals(PublishResult.Outcome.published, images.outcome(), () -> String.valueOf(images.error()));
    assertEquals(2, sim.posts.get(0).path("content").path("multiImage").path("images").size());
    assertEquals("chart", sim.posts.get(0).path("content").path("multiImage").path("images").get(0).path("altText").asText());

    byte[] mp4 = MediaFiles.mp4(1280, 720, 6000);
    MediaRef video = Simulators.media.add("med_li3", mp4, "video/mp4", 1280, 720, 6000L, null);
    PublishResult withVideo = publish(publisher, request("linkedin", account, "a video", List.of(video), Map.of()));
    assertEquals(PublishResult.Outcome.published, withVideo.outcome(), () -> String.valueOf(withVideo.error()));
    String videoUrn = sim.posts.get(1).path("content").path("media").path("id").asText();
    assertTrue(videoUrn.startsWith("urn:li:video:"));
    int uploaded = sim.uploadedBytes.entrySet().stream().filter(e -> e.getKey().startsWith(videoUrn)).mapToInt(Map.Entry::getValue).sum();
    assertEquals(mp4.length, uploaded, "both parts uploaded");
  }

  @Test
  void aDocumentIsUploadedProcessedAndPostedWithItsTitle() {
    byte[] pdf = MediaFiles.pdf(8);
    MediaRef document = Simulators.media.add("med_lidoc", pdf, "application/pdf", null, null, null, null);
    PublishResult result = publish(publisher, request("linkedin", account, "Our 2026 report, eight pages", List.of(document),
        Map.of("document_title", "Report 2026")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    var media = sim.posts.get(0).path("content").path("media");
    assertTrue(media.path("id").asText().startsWith("urn:li:document:"), media::toString);
    assertEquals("Report 2026", media.path("title").asText());
    assertEquals(pdf.length, sim.uploadedBytes.get(media.path("id").asText()), "the whole file uploaded");
    assertTrue(sim.calls("GET", "/rest/documents/").size() >= 3, "polled until AVAILABLE");

    // LinkedIn could not make pages of it: the media's fault, said so, not retried
    sim.failDocuments = true;
    PublishResult failed = publish(publisher, request("linkedin", account, "a damaged deck", List.of(document), Map.of("document_title", "Deck")));
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertEquals("media_invalid", failed.error().code());
    assertEquals(false, failed.error().retryable());
    assertTrue(failed.error().message().contains("could not process the document"), failed.error().message());
    assertEquals(1, sim.posts.size(), "nothing posted without its document");
  }

  @Test
  void aPowerPointDeckIsADocumentToo() {
    byte[] deck = MediaFiles.pptx(5);
    MediaRef document = Simulators.media.add("med_lideck", deck, "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        null, null, null, null);
    PublishResult result = publish(publisher, request("linkedin", account, "The deck from today's talk", List.of(document),
        Map.of("document_title", "Talk deck")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    var media = sim.posts.get(0).path("content").path("media");
    assertTrue(media.path("id").asText().startsWith("urn:li:document:"), media::toString);
    assertEquals(deck.length, sim.uploadedBytes.get(media.path("id").asText()), "the deck uploaded through the Documents API");
  }

  @Test
  void aLinkIsACardWithTheTitleDescriptionAndImageGiven() {
    MediaRef image = Simulators.media.add("med_li_card", MediaFiles.png(1200, 627), "image/png", 1200, 627, null, null);
    PublishResult result = publish(publisher, request("linkedin", account, "Our report is out", List.of(),
        Map.of("link", "https://example.com/report", "link_title", "The 2026 report", "link_description", "Twelve charts",
            "link_thumbnail", "med_li_card"), Map.of("med_li_card", image)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    var article = sim.posts.get(0).path("content").path("article");
    assertEquals("https://example.com/report", article.path("source").asText());
    assertEquals("The 2026 report", article.path("title").asText());
    assertEquals("Twelve charts", article.path("description").asText());
    assertTrue(article.path("thumbnail").asText().startsWith("urn:li:image:"), article::toString);
    assertEquals(MediaFiles.png(1200, 627).length, sim.uploadedBytes.get(article.path("thumbnail").asText()), "the card's image, uploaded");

    PublishResult plain = publish(publisher, request("linkedin", account, "Another link", List.of(),
        Map.of("link", "https://example.com/other", "link_title", "Other")));
    assertEquals(PublishResult.Outcome.published, plain.outcome(), () -> String.valueOf(plain.error()));
    assertTrue(sim.posts.get(1).path("content").path("article").path("thumbnail").isMissingNode(), "no image asked for, none sent");
  }

  @Test
  void aLostAnswerIsFoundAndADuplicateNamesTheExistingPost() {
    sim.failNext("/rest/posts", "lose_answer");
    PublishRequest request = request("linkedin", account, "lost (answer)", List.of(), Map.of());
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(sim.posts.get(0).path("id").asText(), result.platformPostId());

    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome());
    assertEquals(result.platformPostId(), retried.platformPostId(), "DUPLICATE_POST's URN is the existing post");
    assertEquals(1, sim.posts.size());
  }

  @Test
  void failuresMapToTheTaxonomy() {
    sim.failNext("/rest/posts", "rate_limited");
    sim.failNext("/rest/posts", "server_error");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("linkedin", account, "after 429 and 503", List.of(), Map.of())).outcome());
    sim.failNext("/rest/posts", "expired_token");
    PublishResult expired = publish(publisher, request("linkedin", account, "expired", List.of(), Map.of()));
    assertEquals("auth", expired.error().category());
    assertEquals("EXPIRED_ACCESS_TOKEN", expired.error().providerCode());
    sim.failNext("/rest/posts", "revoked_token");
    assertEquals("REVOKED_ACCESS_TOKEN", publish(publisher, request("linkedin", account, "revoked", List.of(), Map.of())).error().providerCode());
  }

  @Test
  void aFirstCommentGoesUnderThePostOnceAndARetryAddsOnlyTheComment() {
    PublishResult result = publish(publisher, request("linkedin", account, "Our report is out", List.of(),
        Map.of("first_comment", "Read it here: https://example.com/report")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.comments.size());
    assertEquals(result.platformPostId(), sim.comments.get(0).get("object"));
    assertEquals("urn:li:person:8675309", sim.comments.get(0).get("actor"));
    assertEquals("Read it here: https://example.com/report", sim.comments.get(0).get("text"));

    // refused, then POST /retry: the kept URN names the post; only the comment is sent, the post is not created again
    sim.failOnText("second", "comment_refused");
    PublishRequest request = request("linkedin", account, "Second post", List.of(), Map.of("first_comment", "the second comment"));
    PublishResult refused = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, refused.outcome());
    assertEquals("permission", refused.error().category());
    assertTrue(refused.error().message().startsWith("the post is published, but its first comment was refused"), refused.error().message());
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(sim.posts.get(1).path("id").asText(), retried.platformPostId());
    assertEquals(2, sim.posts.size());
    assertEquals(2, sim.calls("POST", "/rest/posts").size(), "the retry did not ask LinkedIn to create the post again");
    assertEquals(2, sim.comments.size());

    // the comment's answer is lost after it landed: found among the post's comments, not sent again
    sim.failOnText("third", "comment_lost");
    PublishResult lost = publish(publisher, request("linkedin", account, "Third post", List.of(), Map.of("first_comment", "the third comment")));
    assertEquals(PublishResult.Outcome.published, lost.outcome(), () -> String.valueOf(lost.error()));
    assertEquals(3, sim.comments.size());
    assertEquals(4, sim.calls("POST", "/rest/socialActions/").size(), "one call per comment, and one for the refused one");
  }

  @Test
  void aLostCommentAnswerWithoutPermissionToReadCommentsEndsUnconfirmedNotCommentedTwice() {
    sim.canReadComments = false;   // the app was not granted r_member_social
    sim.failOnText("lost", "comment_unanswered");
    PublishResult result = publish(publisher, request("linkedin", account, "A post", List.of(), Map.of("first_comment", "a lost comment")));
    assertEquals(PublishResult.Outcome.unconfirmed, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.posts.size());
    assertEquals(1, sim.comments.size(), "the comment landed once and was not sent again blindly");
    assertEquals(1, sim.calls("POST", "/rest/socialActions/").size());
  }
}
