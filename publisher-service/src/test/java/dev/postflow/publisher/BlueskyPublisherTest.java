package dev.postflow.publisher;

import static dev.postflow.publisher.PlatformTestAccounts.publish;
import static dev.postflow.publisher.PlatformTestAccounts.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.testsupport.platforms.BlueskySimulator;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.MediaFiles;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class BlueskyPublisherTest {
  @Inject PublishService publisher;
  @Inject SecretCipher cipher;
  @Inject dev.postflow.publisher.account.TokenRefresher tokens;
  final BlueskySimulator sim = Simulators.bluesky;
  String account;

  @BeforeEach
  void setUp() throws Exception {
    sim.reset();
    account = PlatformTestAccounts.insert(cipher, "bluesky", BlueskySimulator.DID, BlueskySimulator.APP_PASSWORD,
        Map.of("pds_url", sim.baseUrl()));
  }

  @Test
  void postsWithFacetsAtUtf8ByteOffsetsImagesAndOneSession() {
    int sessionsBefore = sim.sessionsCreated.get();
    String text = "Grüße 👋 @alice.bsky.social see https://example.com/a #launch";
    MediaRef image = Simulators.media.add("med_bs1", MediaFiles.jpeg(120, 80), "image/jpeg", 120, 80, null, "a banner");
    PublishRequest request = request("bluesky", account, text, List.of(image), Map.of("langs", "de,en"));
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    JsonNode record = sim.records.values().iterator().next();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (JsonNode facet : record.path("facets")) {
      int start = facet.path("index").path("byteStart").asInt();
      int end = facet.path("index").path("byteEnd").asInt();
      String covered = new String(bytes, start, end - start, StandardCharsets.UTF_8);
      String type = facet.path("features").get(0).path("$type").asText();
      switch (type) {
        case "app.bsky.richtext.facet#link" -> assertEquals("https://example.com/a", covered);
        case "app.bsky.richtext.facet#mention" -> {
          assertEquals("@alice.bsky.social", covered);
          assertEquals("did:plc:alice", facet.path("features").get(0).path("did").asText());
        }
        case "app.bsky.richtext.facet#tag" -> assertEquals("#launch", covered);
        default -> throw new AssertionError(type);
      }
    }
    assertEquals(3, record.path("facets").size());
    assertEquals("app.bsky.embed.images", record.path("embed").path("$type").asText());
    assertEquals("a banner", record.path("embed").path("images").get(0).path("alt").asText());
    assertEquals("de", record.path("langs").get(0).asText());
    assertTrue(result.permalink().startsWith("https://bsky.app/profile/" + BlueskySimulator.DID + "/post/"));

    publish(publisher, request("bluesky", account, "second", List.of(), Map.of()));
    publish(publisher, request("bluesky", account, "third", List.of(), Map.of()));
    assertEquals(3, sim.records.size());
    assertTrue(sim.sessionsCreated.get() - sessionsBefore <= 1, "one login for three posts, not one per post");
  }

  @Test
  void anExpiredSessionIsRefreshedNotLoggedInAgain() {
    publish(publisher, request("bluesky", account, "warm up the session", List.of(), Map.of()));
    int sessions = sim.sessionsCreated.get();
    sim.expireAccessTokens();
    PublishResult result = publish(publisher, request("bluesky", account, "after expiry", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(sessions, sim.sessionsCreated.get(), "refreshSession, not createSession");
    assertTrue(sim.calls("POST", "refreshSession").size() >= 1);
  }

  @Test
  void theChosenRecordKeyMakesRepeatsHarmless() {
    sim.failNext("createRecord", "lose_answer");
    PublishRequest request = request("bluesky", account, "answer lost", List.of(), Map.of());
    PublishResult result = publish(publisher, request);
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.records.size());

    // the user retries the target: same record key, the PDS refuses a second record, we report the first
    PublishResult again = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, again.outcome(), () -> String.valueOf(again.error()));
    assertEquals(1, sim.records.size(), "still one post");
  }

  @Test
  void aCallCutOffBeforeItLandedIsSentAgainWithTheSameRecordKey() {
    sim.failNext("createRecord", "cut_off"); // nothing stored, no answer in time: getRecord finds nothing
    PublishResult result = publish(publisher, request("bluesky", account, "cut off", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.records.size());
    List<String> keys = sim.calls("POST", "createRecord").stream().map(call -> call.json().path("rkey").asText()).toList();
    assertEquals(2, keys.size(), "asked with getRecord, then the same create once more");
    assertEquals(keys.get(0), keys.get(1), "under the same record key, so the first call could never add a second post");
    assertEquals(1, sim.calls("GET", "getRecord").size());
  }

  @Test
  void aThreadIsThePostAndEachReplyUnderTheOneBefore() {
    List<String> replies = List.of("first reply", "second reply with @alice.bsky.social", "third reply");
    PublishResult result = publish(publisher, request("bluesky", account, "a thread: 1/4", List.of(), Map.of("thread", replies, "langs", "en")));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(4, sim.records.size());
    List<JsonNode> created = sim.calls("POST", "createRecord").stream().map(call -> call.json()).toList();
    assertEquals(4, created.size());
    String root = "at://" + BlueskySimulator.DID + "/app.bsky.feed.post/" + created.get(0).path("rkey").asText();
    assertEquals(root, result.platformPostId(), "the target names the thread's first post");
    assertTrue(created.get(0).path("record").path("reply").isMissingNode());
    for (int i = 1; i < 4; i++) {
      JsonNode record = created.get(i).path("record");
      assertEquals(replies.get(i - 1), record.path("text").asText());
      assertEquals(root, record.path("reply").path("root").path("uri").asText());
      assertEquals("at://" + BlueskySimulator.DID + "/app.bsky.feed.post/" + created.get(i - 1).path("rkey").asText(),
          record.path("reply").path("parent").path("uri").asText(), "each reply answers the one before");
      assertEquals("en", record.path("langs").get(0).asText());
    }
    JsonNode mention = created.get(2).path("record").path("facets").get(0).path("features").get(0);
    assertEquals("did:plc:alice", mention.path("did").asText(), "mentions in replies are resolved too");
  }

  @Test
  void aReplyToSomeoneElsesPostNamesItAsParentAndItsThreadsRootAsRoot() {
    // alice's post is itself a reply in a thread that starts at bob's post
    String bobs = "at://did:plc:bob/app.bsky.feed.post/3kroot";
    String alices = "at://did:plc:alice/app.bsky.feed.post/3kparent";
    sim.othersPosts.put(bobs, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("text", "bob's post"));
    var aliceRecord = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("text", "alice's reply");
    aliceRecord.putObject("reply").<com.fasterxml.jackson.databind.node.ObjectNode>set("root",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("uri", bobs).put("cid", "bafyrei3kroot"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) aliceRecord.path("reply")).set("parent",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("uri", bobs).put("cid", "bafyrei3kroot"));
    sim.othersPosts.put(alices, aliceRecord);

    // named by its bsky.app link with alice's handle: resolved, then read
    PublishResult result = publish(publisher, request("bluesky", account, "Agreed!", List.of(),
        Map.of("reply_to", "https://bsky.app/profile/alice.bsky.social/post/3kparent", "thread", List.of("And more"))));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    List<JsonNode> created = sim.calls("POST", "createRecord").stream().map(call -> call.json().path("record")).toList();
    assertEquals(alices, created.get(0).path("reply").path("parent").path("uri").asText());
    assertEquals("bafyrei3kparent", created.get(0).path("reply").path("parent").path("cid").asText());
    assertEquals(bobs, created.get(0).path("reply").path("root").path("uri").asText(), "the root of alice's thread");
    assertEquals(result.platformPostId(), created.get(1).path("reply").path("parent").path("uri").asText(), "the thread continues under our post");
    assertEquals(bobs, created.get(1).path("reply").path("root").path("uri").asText(), "in the same conversation");

    // a post that is not there fails the target before anything is created
    int creates = sim.calls("POST", "createRecord").size();
    PublishResult gone = publish(publisher, request("bluesky", account, "To nothing", List.of(), Map.of("reply_to", "at://did:plc:bob/app.bsky.feed.post/3kgone")));
    assertEquals(PublishResult.Outcome.failed, gone.outcome());
    assertEquals("reply_to_not_found", gone.error().code());
    assertEquals(creates, sim.calls("POST", "createRecord").size());
  }

  @Test
  void aThreadsReplyCarriesItsOwnImage() {
    MediaRef picture = Simulators.media.add("med_bsky_reply", MediaFiles.jpeg(800, 600), "image/jpeg", 800, 600, null, "the view");
    Map<String, Object> reply = Map.of("text", "2/3 the view from the top", "media_ids", List.of(picture.id()));
    PublishResult result = publish(publisher, PlatformTestAccounts.request("bluesky", account, "1/3 we climbed", List.of(),
        Map.of("thread", List.of(reply, "3/3 back down")), Map.of(picture.id(), picture)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    List<JsonNode> created = sim.calls("POST", "createRecord").stream().map(call -> call.json().path("record")).toList();
    assertEquals(3, created.size());
    assertTrue(created.get(0).path("embed").isMissingNode(), "the post has no media");
    JsonNode embed = created.get(1).path("embed");
    assertEquals("app.bsky.embed.images", embed.path("$type").asText());
    assertEquals("the view", embed.path("images").get(0).path("alt").asText());
    assertEquals(1, sim.calls("POST", "uploadBlob").size(), "the reply's picture was uploaded as a blob");
    assertEquals("2/3 the view from the top", created.get(1).path("text").asText());
    assertTrue(created.get(2).path("embed").isMissingNode(), "the last reply is text only");
  }

  @Test
  void aThreadCutShortContinuesWhereItStoppedAndNeverRepeatsAPost() {
    List<String> replies = List.of("first reply", "second reply", "third reply");
    // a definite refusal of the second reply: the target fails and says how far the thread got
    sim.failOnText("second reply", "invalid_record");
    PublishRequest request = request("bluesky", account, "thread 1/4", List.of(), Map.of("thread", replies));
    PublishResult failed = publish(publisher, request);
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertTrue(failed.error().message().startsWith("the thread stopped at reply 2 of 3 (the post and 1 reply are published; a retry continues"),
        failed.error().message());
    assertEquals(2, sim.records.size());
    assertTrue(failed.platformPostId().startsWith("at://") && failed.permalink().startsWith("https://bsky.app/"),
        "the failure names the post that is out: " + failed);

    // POST /retry: the post and the first reply answer "already exists" and are read back; the rest is created
    PublishResult retried = publish(publisher, PlatformTestAccounts.nextAttempt(request));
    assertEquals(PublishResult.Outcome.published, retried.outcome(), () -> String.valueOf(retried.error()));
    assertEquals(failed.platformPostId(), retried.platformPostId(), "the same post, its thread now whole");
    assertEquals(4, sim.records.size(), "the post and three replies, none twice");

    // the third reply's answer is lost after it landed: the lookup finds the post and every reply, nothing is sent again
    sim.reset();
    sim.failOnText("third reply", "lose_answer");
    PublishResult landed = publish(publisher, request("bluesky", account, "another thread", List.of(), Map.of("thread", replies)));
    assertEquals(PublishResult.Outcome.published, landed.outcome(), () -> String.valueOf(landed.error()));
    assertEquals(4, sim.records.size());
    assertEquals(4, sim.calls("POST", "createRecord").size());
    assertEquals(4, sim.calls("GET", "getRecord").size(), "the lookup read the post and every reply");

    // the third reply is cut off before it landed: the thread is incomplete, and the same keyed creates finish it
    sim.reset();
    sim.failOnText("third reply", "cut_off");
    PublishResult finished = publish(publisher, request("bluesky", account, "a third thread", List.of(), Map.of("thread", replies)));
    assertEquals(PublishResult.Outcome.published, finished.outcome(), () -> String.valueOf(finished.error()));
    assertEquals(4, sim.records.size(), "the post and three replies, none twice");
    List<JsonNode> creates = sim.calls("POST", "createRecord").stream().map(call -> call.json()).toList();
    assertEquals(8, creates.size(), "four, then the same four keys again: three answered 'already exists', the third reply made");
    for (int i = 0; i < 4; i++) assertEquals(creates.get(i).path("rkey").asText(), creates.get(i + 4).path("rkey").asText());
  }

  @Test
  void failuresMapToTheTaxonomy() throws Exception {
    sim.failNext("createRecord", "rate_limited");
    sim.failNext("createRecord", "server_error");
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("bluesky", account, "429 then 502", List.of(), Map.of())).outcome());

    PublishResult tooLong = publish(publisher, request("bluesky", account, "a".repeat(301), List.of(), Map.of()));
    assertEquals("content", tooLong.error().category());
    assertTrue(tooLong.error().message().contains("300 graphemes"));

    // The PDS's own limit (its BlobTooLarge answer), reached although the file was said to be small.
    MediaRef served = Simulators.media.add("med_bs_big", new byte[2_000_001], "image/jpeg", 10, 10, null, null);
    MediaRef big = new MediaRef(served.id(), served.mimeType(), 1_000, 10, 10, null, served.url(), null);
    PublishResult tooBig = publish(publisher, request("bluesky", account, "big", List.of(big), Map.of()));
    assertEquals("media_invalid", tooBig.error().code());

    String revoked = PlatformTestAccounts.insert(cipher, "bluesky", BlueskySimulator.DID, "revoked-app-password", Map.of("pds_url", sim.baseUrl()));
    PublishResult auth = publish(publisher, request("bluesky", revoked, "revoked", List.of(), Map.of()));
    assertEquals("auth", auth.error().category());
    assertEquals(false, auth.error().retryable());
  }

  @Test
  void anOAuthAccountPublishesWithDpopProofsAndThePdsNonce() throws Exception {
    String oauthAccount = BlueskyOAuthAccounts.connect(cipher);
    sim.oauth.rotateNonce();   // the nonce learned while connecting is stale now: the PDS asks for the new one
    int sessions = sim.sessionsCreated.get();
    int nonceRejections = sim.oauth.nonceRejections.get();
    int refreshes = sim.oauth.refreshes.get();
    MediaRef image = Simulators.media.add("med_bs_oauth", MediaFiles.jpeg(64, 64), "image/jpeg", 64, 64, null, "a square");
    PublishResult result = publish(publisher, request("bluesky", oauthAccount, "via OAuth @alice.bsky.social", List.of(image), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.records.size());
    JsonNode record = sim.records.values().iterator().next();
    assertEquals("app.bsky.embed.images", record.path("embed").path("$type").asText(), "the blob was uploaded with the DPoP token too");
    assertEquals("did:plc:alice", record.path("facets").get(0).path("features").get(0).path("did").asText());
    assertEquals(sessions, sim.sessionsCreated.get(), "no app-password session");
    assertTrue(sim.oauth.nonceRejections.get() > nonceRejections, "the first proof met use_dpop_nonce and was signed again");
    assertEquals(refreshes, sim.oauth.refreshes.get(), "a nonce request is not a rejected token: nothing refreshed");
    var create = sim.calls("POST", "createRecord").get(sim.calls("POST", "createRecord").size() - 1);
    assertTrue(create.header("Authorization").startsWith("DPoP "), create.header("Authorization"));
    assertTrue(create.header("DPoP") != null);
  }

  @Test
  void anExpiredOAuthTokenIsRefreshedWithDpopAndThePostGoesOut() throws Exception {
    String oauthAccount = BlueskyOAuthAccounts.connect(cipher);
    String refreshBefore = column(oauthAccount, "refresh_token");
    sim.oauth.expireAccessTokens();
    int refreshes = sim.oauth.refreshes.get();
    PublishResult result = publish(publisher, request("bluesky", oauthAccount, "after the token expired", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(refreshes + 1, sim.oauth.refreshes.get(), "one refresh: bound to the account's DPoP key, with the client's assertion");
    assertTrue(!refreshBefore.equals(column(oauthAccount, "refresh_token")), "the rotated refresh token is stored");

    // Before expiry, the refresher renews it on its own (due within 5 minutes).
    try (var connection = RealInfrastructure.jdbc()) {
      connection.createStatement().execute("update posts.account set token_expires_at = now() + interval '2 minutes' where id = '" + oauthAccount + "'");
    }
    tokens.refreshDue();
    assertEquals(refreshes + 2, sim.oauth.refreshes.get());
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("bluesky", oauthAccount, "with the renewed token", List.of(), Map.of())).outcome());
  }

  @Test
  void aSessionWhoseClientKeyWasRetiredNeedsReconnecting() throws Exception {
    String oauthAccount = BlueskyOAuthAccounts.connect(cipher);
    assertEquals(PublishResult.Outcome.published, publish(publisher, request("bluesky", oauthAccount, "before the key went", List.of(), Map.of())).outcome());
    // the operator retired the key this session began with (DELETE /v1/admin/bluesky/client-keys/{kid}?force=true)
    try (var connection = RealInfrastructure.jdbc()) {
      connection.createStatement().execute("delete from posts.atproto_client_key where kid = (select platform_fields::jsonb ->> 'client_kid'"
          + " from posts.account where id = '" + oauthAccount + "')");
    }
    sim.oauth.expireAccessTokens();
    int refreshes = sim.oauth.refreshes.get();
    PublishResult result = publish(publisher, request("bluesky", oauthAccount, "after the key went", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.failed, result.outcome());
    assertEquals("token_invalid", result.error().code());
    assertTrue(result.error().message().contains("client key"), result.error().message());
    assertEquals("reauth_required", column(oauthAccount, "status"));
    assertEquals(refreshes, sim.oauth.refreshes.get(), "nothing signed with the retired key");
  }

  @Test
  void aRevokedOAuthSessionNeedsReconnecting() throws Exception {
    String oauthAccount = BlueskyOAuthAccounts.connect(cipher);
    sim.oauth.revokeAll();
    PublishResult result = publish(publisher, request("bluesky", oauthAccount, "revoked", List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.failed, result.outcome());
    assertEquals("token_invalid", result.error().code());
    assertEquals("reauth_required", column(oauthAccount, "status"));
    assertEquals(0, sim.records.size());
  }

  @Test
  void aLinkWithoutMediaGetsItsPagesCardAsBlueskysAppsMakeIt() {
    MediaRef thumb = Simulators.media.add("card-thumb", MediaFiles.jpeg(40, 20), "image/jpeg", 40, 20, null, null);
    String relativeThumb = thumb.url().substring(thumb.url().indexOf("/media/"));
    String html = "<html><head><title>Fallback</title><meta content=\"Launch &amp; learn\" property=\"og:title\">"
        + "<meta property='og:description' content='What we shipped this week.'><meta property=\"og:image\" content=\"" + relativeThumb + "\">"
        + "</head><body>…</body></html>";
    String page = Simulators.media.add("card-page", html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", null, null, null, null).url();
    int uploads = sim.calls("POST", "uploadBlob").size();
    PublishResult result = publish(publisher, request("bluesky", account, "New post: " + page, List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    JsonNode embed = sim.records.values().iterator().next().path("embed");
    assertEquals("app.bsky.embed.external", embed.path("$type").asText());
    assertEquals(page, embed.path("external").path("uri").asText());
    assertEquals("Launch & learn", embed.path("external").path("title").asText(), "og:title, unescaped, either attribute order");
    assertEquals("What we shipped this week.", embed.path("external").path("description").asText());
    assertEquals("image/jpeg", embed.path("external").path("thumb").path("mimeType").asText(), "the og:image (relative) as a blob");
    assertEquals(uploads + 1, sim.calls("POST", "uploadBlob").size());

    // a thread's reply with a link gets its card too; a reply without one gets none
    sim.reset();
    PublishResult thread = publish(publisher, request("bluesky", account, "1/3 no link here", List.of(),
        Map.of("thread", List.of("2/3 read more: " + page, "3/3 the end"))));
    assertEquals(PublishResult.Outcome.published, thread.outcome(), () -> String.valueOf(thread.error()));
    List<JsonNode> records = sim.calls("POST", "createRecord").stream().map(call -> call.json().path("record")).toList();
    assertTrue(records.get(0).path("embed").isMissingNode());
    assertEquals(page, records.get(1).path("embed").path("external").path("uri").asText());
    assertEquals("Launch & learn", records.get(1).path("embed").path("external").path("title").asText());
    assertTrue(records.get(2).path("embed").isMissingNode());
  }

  @Test
  void noCardWhenAskedForNoneOrWhenThePageCannotBeRead() {
    String page = Simulators.media.add("card-page-2", "<meta property=\"og:title\" content=\"T\">".getBytes(StandardCharsets.UTF_8),
        "text/html", null, null, null, null).url();
    PublishResult none = publish(publisher, request("bluesky", account, "No card: " + page, List.of(), Map.of("link_card", "none")));
    assertEquals(PublishResult.Outcome.published, none.outcome());
    String missing = Simulators.media.baseUrl() + "/media/no-such-page?expires=9999999999&signature=ok";
    PublishResult unreadable = publish(publisher, request("bluesky", account, "Broken link " + missing, List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, unreadable.outcome(), "a page that cannot be read does not stop the post");
    assertEquals(2, sim.records.size());
    sim.records.values().forEach(record -> assertTrue(record.path("embed").isMissingNode(), record.toString()));
  }

  private String column(String accountId, String column) throws Exception {
    try (var connection = RealInfrastructure.jdbc();
        var rows = connection.createStatement().executeQuery("select " + column + " from posts.account where id = '" + accountId + "'")) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Test
  void aVideosCaptionsAreUploadedAsBlobsAndNamedInItsEmbed() {
    MediaRef video = Simulators.media.add("med_bsky_cap_video", new byte[400_000], "video/mp4", 1920, 1080, 12_000L, null);
    byte[] english = dev.postflow.testsupport.MediaFiles.vtt("Hello", 6);
    MediaRef en = Simulators.media.add("med_cap_en", english, "text/vtt", null, null, null, null);
    MediaRef de = Simulators.media.add("med_cap_de", dev.postflow.testsupport.MediaFiles.vtt("Hallo", 6), "text/vtt", null, null, null, null);
    PublishResult result = publish(publisher, request("bluesky", account, "with captions", List.of(video),
        Map.of("captions", List.of(Map.of("lang", "en", "media_id", "med_cap_en"), Map.of("lang", "de", "media_id", "med_cap_de"))),
        Map.of("med_cap_en", en, "med_cap_de", de)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    JsonNode captions = sim.records.values().iterator().next().path("embed").path("captions");
    assertEquals(2, captions.size(), captions::toString);
    assertEquals("en", captions.get(0).path("lang").asText());
    assertEquals("text/vtt", captions.get(0).path("file").path("mimeType").asText());
    assertEquals(english.length, captions.get(0).path("file").path("size").asInt(), "the caption file's bytes, as a blob");
    assertEquals("de", captions.get(1).path("lang").asText());
    assertEquals(2, sim.calls("POST", "uploadBlob").size(), "one blob per caption file; the video goes through the video service");
  }

  @Test
  void aThreadRepliesVideoCarriesItsOwnCaptions() {
    MediaRef video = Simulators.media.add("med_bsky_reply_video", new byte[300_000], "video/mp4", 1280, 720, 9_000L, null);
    byte[] spanish = dev.postflow.testsupport.MediaFiles.vtt("Hola", 4);
    MediaRef es = Simulators.media.add("med_reply_cap_es", spanish, "text/vtt", null, null, null, null);
    Map<String, Object> reply = Map.of("text", "2/2 the clip", "media_ids", List.of(video.id()),
        "captions", List.of(Map.of("lang", "es", "media_id", es.id())));
    PublishResult result = publish(publisher, request("bluesky", account, "1/2 a thread with a clip", List.of(), Map.of("thread", List.of(reply)),
        Map.of(video.id(), video, es.id(), es)));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    JsonNode replyRecord = sim.records.values().stream().filter(r -> r.has("reply")).findFirst().orElseThrow();
    assertEquals("app.bsky.embed.video", replyRecord.path("embed").path("$type").asText());
    JsonNode captions = replyRecord.path("embed").path("captions");
    assertEquals(1, captions.size(), captions::toString);
    assertEquals("es", captions.get(0).path("lang").asText());
    assertEquals(spanish.length, captions.get(0).path("file").path("size").asInt(), "the reply's caption file, as a blob");
    assertTrue(sim.records.values().stream().filter(r -> !r.has("reply")).allMatch(r -> r.path("embed").isMissingNode()), "the post has no video");
  }

  @Test
  void aVideoGoesThroughTheVideoServiceAndIsEmbeddedOnceProcessed() {
    // 5 MB: more than the PDS takes as a plain blob here, as a real video would be
    MediaRef video = Simulators.media.add("med_bsky_video", new byte[5 * 1024 * 1024], "video/mp4", 1080, 1920, 30_000L, "a clip");
    PublishResult result = publish(publisher, request("bluesky", account, "a video", List.of(video), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, sim.videoJobs.size());
    String job = sim.videoJobs.keySet().iterator().next();
    JsonNode embed = sim.records.values().iterator().next().path("embed");
    assertEquals("app.bsky.embed.video", embed.path("$type").asText());
    assertEquals("bafkvid" + job, embed.path("video").path("ref").path("$link").asText(), "the processed video's blob");
    assertEquals("a clip", embed.path("alt").asText());
    assertEquals(0, sim.calls("POST", "uploadBlob").size(), "not sent to the PDS as a plain blob");
    String pdsHost = java.net.URI.create(sim.baseUrl()).getHost();
    assertEquals(List.of(BlueskySimulator.VIDEO_SERVICE_DID + " app.bsky.video.getUploadLimits", "did:web:" + pdsHost + " com.atproto.repo.uploadBlob"),
        sim.serviceTokens, "a service token for the limits, and one for the PDS the service stores the video on");

    // the same video in another post: the service answers already_exists with the first job, which is used
    PublishResult again = publish(publisher, request("bluesky", account, "the same video again", List.of(video), Map.of()));
    assertEquals(PublishResult.Outcome.published, again.outcome(), () -> String.valueOf(again.error()));
    assertEquals(1, sim.videoJobs.size());
    assertEquals(2, sim.records.size());

    // processing fails: the video is refused with the service's reason, nothing is posted
    MediaRef other = Simulators.media.add("med_bsky_video2", new byte[300_000], "video/mp4", 1080, 1920, 30_000L, null);
    sim.failNext("uploadVideo", "processing_failed");
    PublishResult failed = publish(publisher, request("bluesky", account, "a bad video", List.of(other), Map.of()));
    assertEquals(PublishResult.Outcome.failed, failed.outcome());
    assertEquals("media_invalid", failed.error().code());
    assertTrue(failed.error().message().contains("Video is too long"), failed.error().message());

    // no uploads left today: said before anything is uploaded or posted
    sim.videosLeftToday.set(0);
    MediaRef third = Simulators.media.add("med_bsky_video3", new byte[400_000], "video/mp4", 1080, 1920, 30_000L, null);
    PublishResult limited = publish(publisher, request("bluesky", account, "one video too many", List.of(third), Map.of()));
    assertEquals("quota_exhausted", limited.error().code());
    assertEquals(2, sim.videoJobs.size());
    assertEquals(2, sim.records.size());
  }
}
