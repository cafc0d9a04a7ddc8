package dev.postflow.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Topics;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.publisher.account.TokenRefresher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.MetaContainerSimulator;
import dev.postflow.testsupport.platforms.OAuthServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens are refreshed before they expire, by each platform's rule, and at once when a platform rejects one at publish
 * time; only a definitive rejection of the refresh asks for a reconnect.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Simulators.class, restrictToAnnotatedClass = false)
class TokenRefreshTest {
  @Inject TokenRefresher refresher;
  @Inject dev.postflow.publisher.account.TokenExpiryWarnings expiryWarnings;
  @Inject SecretCipher cipher;
  @Inject PublishService publisher;

  record Row(String status, String accessToken, String refreshToken, Instant expiresAt) {}

  @Test
  void aRotatingRefreshTokenIsStoredWithItsAccessTokenAndARejectionAsksForReconnection() throws Exception {
    Simulators.x.refreshTokens.add("first-refresh");
    String account = PlatformTestAccounts.insert(cipher, "x", "2244994945", "old-access", Map.of());
    set(account, "first-refresh", Instant.now().plusSeconds(120), Instant.now().minusSeconds(7000));

    refresher.refreshDue();
    Row refreshed = read(account);
    assertEquals("active", refreshed.status());
    assertTrue(refreshed.accessToken().startsWith("x-access-"), refreshed.accessToken());
    assertTrue(refreshed.refreshToken().startsWith("x-refresh-"), "the rotated refresh token is stored");
    assertTrue(refreshed.expiresAt().isAfter(Instant.now().plus(Duration.ofMinutes(110))));
    assertTrue(Simulators.x.refreshTokens.contains(refreshed.refreshToken()));

    refresher.refreshDue();
    assertEquals(refreshed.accessToken(), read(account).accessToken(), "not due any more: left alone");

    // The token endpoint is down: a transient failure never disconnects anyone.
    set(account, refreshed.refreshToken(), Instant.now().plusSeconds(60), null);
    Simulators.x.failNext("/2/oauth2/token", "unavailable");
    refresher.refreshDue();
    assertEquals("active", read(account).status());

    // A refresh token the platform no longer knows (used elsewhere, revoked): invalid_grant, reconnect required.
    Simulators.x.refreshTokens.clear();
    refresher.refreshDue();
    assertEquals("reauth_required", read(account).status());
    var events = KafkaTopics.await(Topics.LIFECYCLE_EVENTS,
        r -> r.value().contains("account.reauth_required") && r.value().contains(account), 1, Duration.ofSeconds(20));
    assertTrue(events.get(0).value().contains("invalid_grant"), events.get(0).value());
  }

  /** LinkedIn and Google take the client in the form, Pinterest with HTTP Basic, TikTok as client_key: each simulator takes only its way. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"linkedin", "pinterest", "tiktok", "youtube", "google_business"})
  void eachPlatformsRefreshGrantIsSentThePlatformsWay(String platform) throws Exception {
    OAuthServer server = switch (platform) {
      case "linkedin" -> Simulators.linkedin.oauth;
      case "pinterest" -> Simulators.pinterest.oauth;
      case "tiktok" -> Simulators.tiktok.oauth;
      case "google_business" -> Simulators.google.oauth;
      default -> Simulators.youtube.oauth;
    };
    String refreshToken = platform + "-refresh-" + UUID.randomUUID();
    server.refreshTokens.add(refreshToken);
    String account = PlatformTestAccounts.insert(cipher, platform, "user-" + UUID.randomUUID(), "old-access", Map.of());
    set(account, refreshToken, Instant.now().plusSeconds(60), Instant.now().minus(Duration.ofDays(1)));

    refresher.refreshDue();
    Row refreshed = read(account);
    assertEquals("active", refreshed.status());
    assertTrue(server.issued.contains(refreshed.accessToken()), "the platform's new access token is stored: " + refreshed.accessToken());
    assertTrue(server.refreshTokens.contains(refreshed.refreshToken()), "with the refresh token the platform rotated to");
    Instant expected = Instant.now().plusSeconds(server.dialect.expiresIn());
    assertTrue(Duration.between(refreshed.expiresAt(), expected).abs().compareTo(Duration.ofMinutes(1)) < 0, refreshed.expiresAt() + " vs " + expected);
  }

  /**
   * An account connected through a workspace's own app refreshes with that app's client (the platform refuses its
   * refresh token from any other), with the secret the workspace set last; once the app is deleted it must reconnect.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"linkedin", "pinterest", "tiktok"})
  void anAccountOfAWorkspacesOwnAppRefreshesWithThatApp(String platform) throws Exception {
    OAuthServer server = switch (platform) {
      case "linkedin" -> Simulators.linkedin.oauth;
      case "pinterest" -> Simulators.pinterest.oauth;
      default -> Simulators.tiktok.oauth;
    };
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String client = "ws-client-" + suffix;
    server.register(client, "ws-secret-" + suffix);
    String refreshToken = platform + "-ws-refresh-" + suffix;
    server.issueRefreshToken(refreshToken, client);
    String account = PlatformTestAccounts.insert(cipher, platform, "user-" + suffix, "old-access", Map.of());
    String app = PlatformTestAccounts.connectThroughApp(cipher, account, platform, client, "ws-secret-" + suffix, null, null);
    set(account, refreshToken, Instant.now().plusSeconds(60), Instant.now().minus(Duration.ofDays(1)));

    refresher.refreshDue();
    Row refreshed = read(account);
    assertEquals("active", refreshed.status());
    assertTrue(server.issued.contains(refreshed.accessToken()), refreshed.accessToken());
    assertEquals(client, server.clientOf(refreshed.accessToken()), "refreshed by the workspace's app");

    // The workspace rotated its app's secret (on the platform, then with PUT /v1/oauth-apps): the next refresh sends the new one.
    server.register(client, "ws-secret-2-" + suffix);
    execute("update posts.oauth_app set client_secret = ? where id = ?", cipher.encrypt("ws-secret-2-" + suffix), app);
    set(account, refreshed.refreshToken(), Instant.now().plusSeconds(60), Instant.now().minus(Duration.ofDays(1)));
    refresher.refreshDue();
    Row again = read(account);
    assertNotEquals(refreshed.accessToken(), again.accessToken());
    assertEquals(client, server.clientOf(again.accessToken()));

    // The app is gone: nothing can refresh the account's tokens, it must be connected again.
    execute("delete from posts.oauth_app where id = ?", app);
    set(account, again.refreshToken(), Instant.now().plusSeconds(60), Instant.now().minus(Duration.ofDays(1)));
    refresher.refreshDue();
    assertEquals("reauth_required", read(account).status());
    var events = KafkaTopics.await(Topics.LIFECYCLE_EVENTS,
        r -> r.value().contains("account.reauth_required") && r.value().contains(account), 1, Duration.ofSeconds(20));
    assertTrue(events.get(0).value().contains("was deleted"), events.get(0).value());
  }

  /**
   * A token nothing renews (LinkedIn without a refresh token) is warned about once, a week before it ends, and again
   * after a reconnect with a new token that ends too; tokens that are renewed, or end later, are not.
   */
  @Test
  void aTokenNothingRenewsIsWarnedAboutOnceBeforeItExpires() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String expiring = PlatformTestAccounts.insert(cipher, "linkedin", "li-expiring-" + suffix, "li-token", Map.of());
    set(expiring, null, Instant.now().plus(Duration.ofDays(3)), null);
    String later = PlatformTestAccounts.insert(cipher, "linkedin", "li-later-" + suffix, "li-token", Map.of());
    set(later, null, Instant.now().plus(Duration.ofDays(30)), null);
    String refreshed = PlatformTestAccounts.insert(cipher, "x", "x-" + suffix, "x-token", Map.of());
    set(refreshed, "x-refresh-" + suffix, Instant.now().plus(Duration.ofHours(1)), null);
    String selfRenewing = PlatformTestAccounts.insert(cipher, "threads", "th-" + suffix, "th-token", Map.of());
    set(selfRenewing, null, Instant.now().plus(Duration.ofDays(3)), null);

    expiryWarnings.warnDue();
    expiryWarnings.warnDue();
    var warned = KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> r.value().contains("account.token_expiring") && r.value().contains(expiring), 1,
        Duration.ofSeconds(20));
    assertTrue(warned.get(0).value().contains("connect the account again before then"), warned.get(0).value());
    assertTrue(warned.get(0).value().contains("\"token_expires_at\""), warned.get(0).value());
    for (String quiet : List.of(later, refreshed, selfRenewing)) assertEquals(null, warnedFor(quiet), quiet + " is not warned about");

    // Connected again with a new token that ends too: warned once more, for that token.
    set(expiring, null, Instant.now().plus(Duration.ofDays(5)), null);
    expiryWarnings.warnDue();
    expiryWarnings.warnDue();
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> r.value().contains("account.token_expiring") && r.value().contains(expiring), 2,
        Duration.ofSeconds(20));
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> KafkaTopics.await(Topics.LIFECYCLE_EVENTS,
        r -> r.value().contains("account.token_expiring") && r.value().contains(expiring), 3, Duration.ofSeconds(3)), "never twice for one token");
  }

  /** posts-api's checks and the warnings go by TokenRenewal: it must say what the refresher does. */
  @Test
  void tokenRenewalSaysWhatTheRefresherRenews() {
    var rules = dev.postflow.publisher.account.TokenRules.BY_PLATFORM;
    for (var rule : rules.values()) {
      var set = rule.kind() == dev.postflow.publisher.account.TokenRules.Kind.OAUTH2_REFRESH ? dev.postflow.contract.platform.TokenRenewal.REFRESH_GRANT
          : dev.postflow.contract.platform.TokenRenewal.SELF_RENEWING;
      assertTrue(set.contains(rule.platform()), rule.platform());
    }
    assertEquals(rules.size(), dev.postflow.contract.platform.TokenRenewal.REFRESH_GRANT.size() + dev.postflow.contract.platform.TokenRenewal.SELF_RENEWING.size());
  }

  private static Instant warnedFor(String account) throws Exception {
    try (Connection connection = dev.postflow.testsupport.RealInfrastructure.jdbc();
         PreparedStatement select = connection.prepareStatement("select expiry_warned_for from posts.account where id = ?")) {
      select.setString(1, account);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        Timestamp at = row.getTimestamp(1);
        return at == null ? null : at.toInstant();
      }
    }
  }

  private static void execute(String sql, String... arguments) throws Exception {
    try (Connection connection = dev.postflow.testsupport.RealInfrastructure.jdbc(); PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < arguments.length; i++) statement.setString(i + 1, arguments[i]);
      statement.executeUpdate();
    }
  }

  @Test
  void instagramTokensAreRefreshedOnlyOnceADayOld() throws Exception {
    String young = PlatformTestAccounts.insert(cipher, "instagram", "1784", "young-token", Map.of());
    set(young, null, Instant.now().plus(Duration.ofDays(5)), Instant.now().minus(Duration.ofHours(2)));
    String old = PlatformTestAccounts.insert(cipher, "instagram", "1785", "old-token", Map.of());
    set(old, null, Instant.now().plus(Duration.ofDays(5)), Instant.now().minus(Duration.ofDays(55)));
    String expired = PlatformTestAccounts.insert(cipher, "instagram", "1786", "expired-token", Map.of());
    set(expired, null, Instant.now().plus(Duration.ofDays(1)), Instant.now().minus(Duration.ofDays(59)));

    refresher.refreshDue();
    assertEquals("young-token", read(young).accessToken(), "Meta refuses tokens younger than 24 h: not tried");
    assertEquals("refreshed-old-token", read(old).accessToken());
    assertTrue(read(old).expiresAt().isAfter(Instant.now().plus(Duration.ofDays(59))));
    assertEquals("reauth_required", read(expired).status(), "error 190 on refresh: reconnect");
    assertNotEquals(0, Simulators.instagram.refreshed.get());
  }

  @Test
  void aTokenRejectedAtPublishIsRefreshedAndTheSameCallIsSentOnceMore() throws Exception {
    String account = xAccountWithRevokedToken("x-revoked-1", "refresh-1");
    int refreshes = Simulators.x.refreshes.get();

    String text = "after a refresh " + UUID.randomUUID();
    PublishResult result = PlatformTestAccounts.publish(publisher, PlatformTestAccounts.request("x", account, text, List.of(), Map.of()));

    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, tweetsWith(text), "published once, with the refreshed token");
    assertEquals(refreshes + 1, Simulators.x.refreshes.get());
    Row stored = read(account);
    assertEquals("active", stored.status());
    assertTrue(stored.accessToken().startsWith("x-access-"), "the refreshed token is stored for the next publishes");
    assertTrue(Simulators.x.refreshTokens.contains(stored.refreshToken()), "with the rotated refresh token");
  }

  @Test
  void publishesThatMeetTheSameRejectedTokenSpendTheSingleUseRefreshTokenOnce() throws Exception {
    String account = xAccountWithRevokedToken("x-revoked-2", "refresh-2");
    int refreshes = Simulators.x.refreshes.get();

    // Two publishes of one account at once (two replicas, or two lanes): both are refused with the old token.
    String text = "two at once " + UUID.randomUUID();
    List<PublishRequest> requests = List.of(PlatformTestAccounts.request("x", account, text + " a", List.of(), Map.of()),
        PlatformTestAccounts.request("x", account, text + " b", List.of(), Map.of()));
    List<CompletableFuture<PublishResult>> running = requests.stream()
        .map(request -> CompletableFuture.supplyAsync(() -> PlatformTestAccounts.publish(publisher, request))).toList();

    for (CompletableFuture<PublishResult> one : running) {
      PublishResult result = one.get();
      assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    }
    assertEquals(refreshes + 1, Simulators.x.refreshes.get(), "the second took the token the first had stored");
    assertEquals(1, tweetsWith(text + " a"));
    assertEquals(1, tweetsWith(text + " b"));
    assertEquals("active", read(account).status(), "X's rotated refresh token was never sent twice (that is invalid_grant)");
  }

  @Test
  void aRefusedRefreshEndsTheTargetAndAsksForReconnection() throws Exception {
    String account = xAccountWithRevokedToken("x-revoked-3", "refresh-3");
    Simulators.x.refreshTokens.remove("refresh-3"); // revoked with the access token

    String text = "never published " + UUID.randomUUID();
    PublishResult result = PlatformTestAccounts.publish(publisher, PlatformTestAccounts.request("x", account, text, List.of(), Map.of()));

    assertEquals(PublishResult.Outcome.failed, result.outcome());
    assertEquals("token_invalid", result.error().code());
    assertEquals("auth", result.error().category());
    assertEquals(false, result.error().retryable());
    assertTrue(result.error().message().contains("invalid_grant"), result.error().message());
    assertTrue(result.error().action().startsWith("Reconnect the x account"), result.error().action());
    assertEquals(0, tweetsWith(text));
    assertEquals("reauth_required", read(account).status());
    KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> r.value().contains("account.reauth_required") && r.value().contains(account), 1,
        Duration.ofSeconds(20));
  }

  @Test
  void aTokenEndpointThatFailsForNowIsRetriedAndASecondRejectionIsFinal() throws Exception {
    String account = xAccountWithRevokedToken("x-revoked-4", "refresh-4");
    int refreshes = Simulators.x.refreshes.get();

    // The token endpoint answers 503 once: a temporary failure, taken again; then the refresh works.
    Simulators.x.failNext("/2/oauth2/token", "unavailable");
    String text = "after a failed refresh " + UUID.randomUUID();
    PublishResult result = PlatformTestAccounts.publish(publisher, PlatformTestAccounts.request("x", account, text, List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.published, result.outcome(), () -> String.valueOf(result.error()));
    assertEquals(1, tweetsWith(text));
    assertEquals(refreshes + 1, Simulators.x.refreshes.get());

    // X refuses the fresh token too: one refresh per call, then the 401 is the answer (no loop).
    Simulators.x.failNext("/2/tweets", "expired_token");
    Simulators.x.failNext("/2/tweets", "expired_token");
    String refused = "refused twice " + UUID.randomUUID();
    PublishResult twice = PlatformTestAccounts.publish(publisher, PlatformTestAccounts.request("x", account, refused, List.of(), Map.of()));
    assertEquals(PublishResult.Outcome.failed, twice.outcome());
    assertEquals("token_invalid", twice.error().code());
    assertEquals(refreshes + 2, Simulators.x.refreshes.get());
    assertEquals(0, tweetsWith(refused));
    assertEquals("active", read(account).status(), "a 401 alone never disconnects an account");
  }

  /** An X account whose stored access token X no longer accepts, with a refresh token X does. */
  private String xAccountWithRevokedToken(String accessToken, String refreshToken) throws Exception {
    Simulators.x.revoked.add(accessToken);
    Simulators.x.refreshTokens.add(refreshToken);
    String account = PlatformTestAccounts.insert(cipher, "x", "2244994945", accessToken, Map.of());
    set(account, refreshToken, Instant.now().plus(Duration.ofMinutes(90)), null); // not due for the scheduled refresh
    return account;
  }

  private static long tweetsWith(String text) {
    return Simulators.x.tweets.stream().filter(t -> t.path("original_text").asText().equals(text)).count();
  }

  private void set(String account, String refreshToken, Instant expiresAt, Instant updatedAt) throws Exception {
    try (Connection connection = RealInfrastructure.jdbc();
        PreparedStatement update = connection.prepareStatement(
            "update posts.account set refresh_token = ?, token_expires_at = ?, updated_at = coalesce(?, updated_at) where id = ?")) {
      update.setString(1, cipher.encrypt(refreshToken));
      update.setTimestamp(2, Timestamp.from(expiresAt));
      update.setTimestamp(3, updatedAt == null ? null : Timestamp.from(updatedAt));
      update.setString(4, account);
      update.executeUpdate();
    }
  }

  private Row read(String account) throws Exception {
    try (Connection connection = RealInfrastructure.jdbc();
        PreparedStatement select = connection.prepareStatement(
            "select status, access_token, refresh_token, token_expires_at from posts.account where id = ?")) {
      select.setString(1, account);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new Row(row.getString(1), cipher.decrypt(row.getString(2)), cipher.decrypt(row.getString(3)),
            row.getTimestamp(4).toInstant());
      }
    }
  }
}
