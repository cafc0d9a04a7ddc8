package dev.postflow.publisher;

import dev.postflow.contract.Ids;
import dev.postflow.contract.atproto.AtprotoOAuth;
import dev.postflow.contract.crypto.Es256Key;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.OutboundHttp;
import dev.postflow.publisher.sim.Simulators;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.testsupport.platforms.BlueskySimulator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Bluesky account connected with atproto OAuth, as posts-api connects one (BlueskyOAuth): a client key in
 * posts.atproto_client_key and our client metadata document (served by the media host, whose URL is the client_id),
 * then PAR, authorization and code exchange at the simulator with DPoP and client assertions, and the account row
 * with its tokens, its DPoP key and where its session is refreshed.
 */
final class BlueskyOAuthAccounts {
  private static final OutboundHttp HTTP = OutboundHttp.unguarded(Duration.ofSeconds(10), "test");
  private static final String CALLBACK = "https://app.example/oauth/callback";

  private BlueskyOAuthAccounts() {}

  static String connect(SecretCipher cipher) throws Exception {
    BlueskySimulator sim = Simulators.bluesky;
    String base = sim.baseUrl();
    Es256Key clientKey = Es256Key.generate("test-" + UUID.randomUUID().toString().substring(0, 8));
    String documentId = "client-metadata-" + clientKey.kid();
    String clientId = Simulators.media.add(documentId, new byte[0], "application/json", null, null, null, null).url();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("client_id", clientId);
    metadata.put("grant_types", List.of("authorization_code", "refresh_token"));
    metadata.put("response_types", List.of("code"));
    metadata.put("scope", AtprotoOAuth.SCOPE);
    metadata.put("redirect_uris", List.of(CALLBACK));
    metadata.put("token_endpoint_auth_method", "private_key_jwt");
    metadata.put("dpop_bound_access_tokens", true);
    metadata.put("jwks", Map.of("keys", List.of(clientKey.publicJwk())));
    Simulators.media.add(documentId, new JsonObject(metadata).encode().getBytes(StandardCharsets.UTF_8), "application/json", null, null, null, null);

    Es256Key dpop = Es256Key.generate(null);
    String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("response_type", "code");
    form.put("code_challenge", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Es256Key.sha256(verifier)));
    form.put("code_challenge_method", "S256");
    form.put("state", UUID.randomUUID().toString());
    form.put("redirect_uri", CALLBACK);
    form.put("scope", AtprotoOAuth.SCOPE);
    AtprotoOAuth.authenticate(form, clientKey, clientId, base);
    AtprotoOAuth.Answer pushed = AtprotoOAuth.post(HTTP, base + "/oauth/par", form, dpop);
    if (pushed.status() != 201) throw new AssertionError("PAR refused: " + pushed.body());
    String authorize = base + "/oauth/authorize?client_id=" + enc(clientId) + "&request_uri=" + enc(pushed.body().path("request_uri").asText());
    String location = HTTP.get(authorize, Map.of()).header("Location");
    String code = null;
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      if (pair.startsWith("code=")) code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
    }
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", code);
    exchange.put("redirect_uri", CALLBACK);
    exchange.put("code_verifier", verifier);
    AtprotoOAuth.authenticate(exchange, clientKey, clientId, base);
    AtprotoOAuth.Answer tokens = AtprotoOAuth.post(HTTP, base + "/oauth/token", exchange, dpop);
    if (tokens.status() != 200) throw new AssertionError("code exchange refused: " + tokens.body());

    String id = Ids.newId("acc");
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("pds_url", base);
    fields.put("auth_server", base);
    fields.put("token_endpoint", base + "/oauth/token");
    fields.put("client_id", clientId);
    fields.put("client_kid", clientKey.kid());
    try (Connection connection = RealInfrastructure.jdbc()) {
      PlatformTestAccounts.ensureAccountTable(connection);
      try (PreparedStatement key = connection.prepareStatement("insert into posts.atproto_client_key (kid, private_jwk) values (?, ?)")) {
        key.setString(1, clientKey.kid());
        key.setString(2, cipher.encrypt(clientKey.privateJwk()));
        key.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement("insert into posts.account (id, platform, external_id, handle, access_token,"
          + " refresh_token, token_expires_at, status, platform_fields, dpop_key) values (?, 'bluesky', ?, ?, ?, ?, ?, 'active', ?, ?)")) {
        insert.setString(1, id);
        insert.setString(2, tokens.body().path("sub").asText());
        insert.setString(3, BlueskySimulator.HANDLE);
        insert.setString(4, cipher.encrypt(tokens.body().path("access_token").asText()));
        insert.setString(5, cipher.encrypt(tokens.body().path("refresh_token").asText()));
        insert.setTimestamp(6, Timestamp.from(Instant.now().plusSeconds(tokens.body().path("expires_in").asLong())));
        insert.setString(7, new JsonObject(fields).encode());
        insert.setString(8, cipher.encrypt(dpop.privateJwk()));
        insert.executeUpdate();
      }
    }
    return id;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
