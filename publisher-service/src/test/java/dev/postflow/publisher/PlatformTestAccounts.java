package dev.postflow.publisher;

import dev.postflow.contract.Ids;
import dev.postflow.contract.MediaRef;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.publish.PublishService;
import dev.postflow.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Accounts in posts.account (posts-api's table, written here as posts-api would) and publish calls for adapter tests. */
final class PlatformTestAccounts {
  private PlatformTestAccounts() {}

  /** The columns of posts-api's posts.account that publisher-service reads and (tokens, status) writes. */
  static void ensureAccountTable(Connection connection) throws java.sql.SQLException {
    connection.createStatement().execute("""
        create schema if not exists posts;
        create table if not exists posts.account (id text primary key, platform text, external_id text, access_token text,
          status text, platform_fields text);
        alter table posts.account add column if not exists workspace_id text default 'ws_test';
        alter table posts.account add column if not exists handle text;
        alter table posts.account add column if not exists refresh_token text;
        alter table posts.account add column if not exists token_expires_at timestamptz;
        alter table posts.account add column if not exists updated_at timestamptz default now();
        alter table posts.account add column if not exists dpop_key text;
        alter table posts.account add column if not exists token_secret text;
        alter table posts.account add column if not exists oauth_app_id text;
        alter table posts.account add column if not exists expiry_warned_for timestamptz;
        create table if not exists posts.oauth_app (id text primary key, workspace_id text, platform text, client_id text, client_secret text,
          consumer_key text, consumer_secret text, active boolean default true);
        create table if not exists posts.atproto_client_key (kid text primary key, private_jwk text not null, created_at timestamptz not null default now())""");
  }

  static String insert(SecretCipher cipher, String platform, String externalId, String token, Map<String, Object> fields) throws Exception {
    return insert(cipher, platform, externalId, null, token, fields);
  }

  /** An X account connected with an OAuth 1.0a access token and its secret. */
  static String insertOAuth1(SecretCipher cipher, String externalId, String token, String tokenSecret) throws Exception {
    String id = insert(cipher, "x", externalId, token, Map.of());
    try (Connection connection = RealInfrastructure.jdbc();
         PreparedStatement update = connection.prepareStatement("update posts.account set token_secret = ? where id = ?")) {
      update.setString(1, cipher.encrypt(tokenSecret));
      update.setString(2, id);
      update.executeUpdate();
    }
    return id;
  }

  /**
   * A workspace's own OAuth app (posts.oauth_app, as posts-api stores it: secrets encrypted), and {@code accountId}
   * connected through it; returns the app's id.
   */
  static String connectThroughApp(SecretCipher cipher, String accountId, String platform, String clientId, String clientSecret, String consumerKey,
      String consumerSecret) throws Exception {
    String app = Ids.newId("app");
    try (Connection connection = RealInfrastructure.jdbc()) {
      ensureAccountTable(connection);
      try (PreparedStatement insert = connection.prepareStatement("insert into posts.oauth_app (id, workspace_id, platform, client_id, client_secret,"
          + " consumer_key, consumer_secret, active) values (?, 'ws_test', ?, ?, ?, ?, ?, true)");
           PreparedStatement update = connection.prepareStatement("update posts.account set oauth_app_id = ? where id = ?")) {
        insert.setString(1, app);
        insert.setString(2, platform);
        insert.setString(3, clientId);
        insert.setString(4, cipher.encrypt(clientSecret));
        insert.setString(5, consumerKey);
        insert.setString(6, cipher.encrypt(consumerSecret));
        insert.executeUpdate();
        update.setString(1, app);
        update.setString(2, accountId);
        update.executeUpdate();
      }
    }
    return app;
  }

  static String insert(SecretCipher cipher, String platform, String externalId, String handle, String token, Map<String, Object> fields) throws Exception {
    String id = Ids.newId("acc");
    try (Connection connection = RealInfrastructure.jdbc()) {
      ensureAccountTable(connection);
      try (PreparedStatement insert = connection.prepareStatement(
          "insert into posts.account (id, platform, external_id, handle, access_token, status, platform_fields) values (?, ?, ?, ?, ?, 'active', ?)")) {
        insert.setString(1, id);
        insert.setString(2, platform);
        insert.setString(3, externalId);
        insert.setString(4, handle);
        insert.setString(5, cipher.encrypt(token));
        insert.setString(6, new JsonObject(fields).encode());
        insert.executeUpdate();
      }
    }
    return id;
  }

  static PublishRequest request(String platform, String accountId, String text, List<MediaRef> media, Map<String, Object> options) {
    return request(platform, accountId, text, media, options, null);
  }

  /** With the media its options name (a YouTube thumbnail), as posts-api sends them. */
  static PublishRequest request(String platform, String accountId, String text, List<MediaRef> media, Map<String, Object> options,
                                Map<String, MediaRef> optionMedia) {
    String target = Ids.newId("tgt");
    return new PublishRequest(target + ".1", Ids.newId("post"), target, "ws_1", accountId, platform, 1, text,
        media.stream().map(MediaRef::id).toList(), options, media, optionMedia);
  }

  /** A later attempt of the same target (what POST /retry sends). */
  static PublishRequest nextAttempt(PublishRequest request) {
    int attempt = request.attempt() + 1;
    return new PublishRequest(request.targetId() + "." + attempt, request.postId(), request.targetId(), request.workspaceId(),
        request.accountId(), request.platform(), attempt, request.text(), request.mediaIds(), request.platformOptions(), request.media(),
        request.optionMedia());
  }

  /** Publishes as the consumer does, taking temporary failures again until a result (bounded). */
  static PublishResult publish(PublishService service, PublishRequest request) {
    return service.publish(request)
        .onFailure(PublishService.RetryLater.class).retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(40)
        .await().atMost(Duration.ofSeconds(60));
  }

  /** Taking down what {@code published} made (the result names the post), as posts-api asks for it. */
  static dev.postflow.contract.UnpublishRequest unpublishRequest(PublishRequest published, PublishResult result) {
    return new dev.postflow.contract.UnpublishRequest(published.targetId() + "." + (published.attempt() + 1), published.postId(), published.targetId(),
        published.workspaceId(), published.accountId(), published.platform(), published.attempt() + 1, result.platformPostId(), published.platformOptions());
  }

  static dev.postflow.contract.EditRequest editRequest(PublishRequest published, PublishResult result, String text) {
    return new dev.postflow.contract.EditRequest(published.targetId() + ".e" + text.hashCode(), published.postId(), published.targetId(),
        published.workspaceId(), published.accountId(), published.platform(), published.attempt() + 1, result.platformPostId(), text,
        published.platformOptions());
  }

  /** Edits as the consumer does: taken again after each RetryLater (quickly here), until there is a result. */
  static PublishResult edit(dev.postflow.publisher.publish.EditService service, dev.postflow.contract.EditRequest request) {
    java.time.Instant firstTried = java.time.Instant.now();
    return io.smallrye.mutiny.Uni.createFrom().deferred(() -> service.edit(request, firstTried))
        .onFailure(PublishService.RetryLater.class).retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(40)
        .await().atMost(Duration.ofSeconds(60));
  }

  /** Unpublishes as the consumer does: taken again after each RetryLater (quickly here), until there is a result. */
  static PublishResult unpublish(dev.postflow.publisher.publish.UnpublishService service, dev.postflow.contract.UnpublishRequest request) {
    java.time.Instant firstTried = java.time.Instant.now();
    return io.smallrye.mutiny.Uni.createFrom().deferred(() -> service.unpublish(request, firstTried))
        .onFailure(PublishService.RetryLater.class).retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(40)
        .await().atMost(Duration.ofSeconds(60));
  }
}
