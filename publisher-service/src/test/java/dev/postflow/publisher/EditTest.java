package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.edit;
import static dev.postflow.publisher.PlatformTestAccounts.editRequest;
import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static dev.postflow.publisher.PlatformTestAccounts.unpublish;
import static dev.postflow.publisher.PlatformTestAccounts.unpublishRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.EditService;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.publisher.publish.UnpublishService;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.FacebookSimulator;
import dev.postflow.testsupport.platforms.GoogleBusinessSimulator;
import dev.postflow.testsupport.platforms.LinkedInSimulator;
import dev.postflow.testsupport.platforms.MastodonSimulator;
import dev.postflow.testsupport.platforms.PinterestSimulator;
import dev.postflow.testsupport.platforms.XSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Editing a published post's text on every platform with an update call, against its simulator: the platform's own
 * call changes the text (and only the text: Mastodon's media stay); the same edit again is no error; a refusal leaves
 * the earlier text and says so; a 5xx is tried again; a post deleted on the platform is a definite failure.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class EditTest {
  @Inject PublishService publisher;
  @Inject EditService editor;
  @Inject UnpublishService unpublisher;
  @Inject SecretCipher cipher;

  /** Publishes, edits twice (the second the same text), and checks what the platform now shows. */
  private void publishedThenEdited(PublishRequest request, String text, Supplier<String> shown, Supplier<List<String>> edited) {
    PublishResult published = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, published.outcome(), () -> String.valueOf(published.error()));
    PublishResult changed = edit(editor, editRequest(request, published, text));
    assertEquals(PublishResult.Outcome.edited, changed.outcome(), () -> request.platform() + ": " + changed.error());
    assertEquals(text, shown.get(), request.platform() + ": the text the platform shows");
    assertEquals(List.of(published.platformPostId()), edited.get(), request.platform() + ": what the platform changed");
    PublishResult again = edit(editor, editRequest(request, published, text));
    assertEquals(PublishResult.Outcome.edited, again.outcome(), () -> request.platform() + " again: " + again.error());
    assertEquals(text, shown.get());
  }

  @Test
  void mastodonReplacesTheStatusAndKeepsItsMedia() throws Exception {
    MastodonSimulator sim = Simulators.mastodon;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "mastodon", "109", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    MediaRef png = Simulators.media.add("med_edit_png", MediaFiles.png(400, 300), "image/png", 400, 300, null, "a chart");
    PublishRequest request = request("mastodon", account, "Our numbers are in", List.of(png), Map.of("spoiler_text", "numbers"));
    publishedThenEdited(request, "Our numbers are in (corrected)", () -> sim.statuses.get(0).path("content").asText().replaceAll("</?p>", ""),
        () -> sim.edited.stream().distinct().toList());
    JsonNode status = sim.statuses.get(0);
    assertEquals(1, status.path("media_ids").size(), "the image stays: " + status);
    assertTrue(status.has("edited_at"));
    JsonNode sent = sim.calls("PUT", "/api/v1/statuses/").get(0).json();
    assertEquals("numbers", sent.path("spoiler_text").asText(), "the content warning goes with the new text: " + sent);
  }

  @Test
  void facebookAndLinkedInChangeTheText() throws Exception {
    FacebookSimulator facebook = Simulators.facebook;
    facebook.reset();
    String page = PlatformTestAccounts.insert(cipher, "facebook", "104000000000001", FacebookSimulator.TOKEN, Map.of());
    publishedThenEdited(request("facebook", page, "Open till 6", List.of(), Map.of()), "Open till 8 tonight",
        () -> facebook.posts.get(0).get("message"), () -> facebook.edited.stream().distinct().toList());

    LinkedInSimulator linkedin = Simulators.linkedin;
    linkedin.reset();
    String member = PlatformTestAccounts.insert(cipher, "linkedin", "urn:li:person:8675309", LinkedInSimulator.TOKEN, Map.of());
    publishedThenEdited(request("linkedin", member, "We are hiring", List.of(), Map.of()), "We are hiring (two roles)",
        () -> linkedin.posts.get(0).path("commentary").asText().replaceAll("\\\\(.)", "$1"), // as shown: escapes removed
        () -> linkedin.edited.stream().distinct().toList());
    assertEquals("We are hiring \\(two roles\\)", linkedin.posts.get(0).path("commentary").asText(), "escaped as LinkedIn's little format wants it");
    assertEquals("PARTIAL_UPDATE", linkedin.calls("POST", "/rest/posts/").get(0).header("X-RestLi-Method"));
  }

  @Test
  void pinterestAndGoogleBusinessChangeTheText() throws Exception {
    MediaRef jpeg = Simulators.media.add("med_edit_jpg", MediaFiles.jpeg(1000, 1500), "image/jpeg", 1000, 1500, null, null);
    PinterestSimulator pinterest = Simulators.pinterest;
    pinterest.reset();
    String pinner = PlatformTestAccounts.insert(cipher, "pinterest", "pinuser", PinterestSimulator.TOKEN, Map.of());
    publishedThenEdited(request("pinterest", pinner, "a pin", List.of(jpeg), Map.of("board_id", PinterestSimulator.BOARD, "title", "A pin")),
        "a better pin description", () -> pinterest.pins.get(0).path("description").asText(), () -> pinterest.edited.stream().distinct().toList());
    assertEquals("A pin", pinterest.pins.get(0).path("title").asText(), "only the description changes");

    GoogleBusinessSimulator google = Simulators.google;
    google.reset();
    String location = PlatformTestAccounts.insert(cipher, "google_business", GoogleBusinessSimulator.LOCATION, GoogleBusinessSimulator.TOKEN, Map.of());
    publishedThenEdited(request("google_business", location, "Closed today", List.of(), Map.of("topic_type", "STANDARD")), "Open again tomorrow",
        () -> google.posts.get(0).path("summary").asText(), () -> google.edited.stream().distinct().toList());
    assertEquals("summary", google.calls("PATCH", "/localPosts/").get(0).query().get("updateMask"));
  }

  @Test
  void aRefusedEditKeepsTheEarlierTextA5xxIsTriedAgainAndAPostGoneIsSaid() throws Exception {
    MastodonSimulator sim = Simulators.mastodon;
    sim.reset();
    String account = PlatformTestAccounts.insert(cipher, "mastodon", "109", MastodonSimulator.TOKEN, Map.of("instance_url", sim.baseUrl()));
    PublishRequest request = request("mastodon", account, "first words", List.of(), Map.of());
    PublishResult published = publish(publisher, request);

    sim.failNext("/api/v1/statuses/", "forbidden");
    PublishResult refused = edit(editor, editRequest(request, published, "second words"));
    assertEquals(PublishResult.Outcome.edit_failed, refused.outcome());
    assertEquals("permission_denied", refused.error().code(), () -> String.valueOf(refused.error()));
    assertTrue(refused.error().message().startsWith("the post on mastodon keeps its earlier text: "), refused.error().message());
    assertTrue(refused.error().action().endsWith("then edit the post again."), refused.error().action());
    assertEquals("<p>first words</p>", sim.statuses.get(0).path("content").asText());

    sim.failNext("/api/v1/statuses/", "server_error");
    PublishResult afterRetry = edit(editor, editRequest(request, published, "second words"));
    assertEquals(PublishResult.Outcome.edited, afterRetry.outcome(), () -> String.valueOf(afterRetry.error()));
    assertEquals("<p>second words</p>", sim.statuses.get(0).path("content").asText());

    assertEquals(PublishResult.Outcome.unpublished, unpublish(unpublisher, unpublishRequest(request, published)).outcome());
    PublishResult gone = edit(editor, editRequest(request, published, "third words"));
    assertEquals(PublishResult.Outcome.edit_failed, gone.outcome());
    assertEquals("post_not_found", gone.error().code(), () -> String.valueOf(gone.error()));
    assertEquals(404, gone.httpStatus());

    // A platform without an edit call (posts-api refuses such an edit first): answered, never sent.
    XSimulator x = Simulators.x;
    x.reset();
    String xAccount = PlatformTestAccounts.insert(cipher, "x", XSimulator.USER_ID, XSimulator.TOKEN, Map.of());
    PublishRequest post = request("x", xAccount, "on X", List.of(), Map.of());
    PublishResult onX = publish(publisher, post);
    PublishResult notOnX = edit(editor, editRequest(post, onX, "on X, edited"));
    assertEquals(PublishResult.Outcome.edit_failed, notOnX.outcome());
    assertEquals("edit_not_supported", notOnX.error().code());
  }
}
