package dev.postflow.contract.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.crypto.Es256Key;
import dev.postflow.contract.net.Forms;
import dev.postflow.contract.net.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of atproto OAuth (atproto.com/specs/oauth) that posts-api (connect) and publisher-service (refresh,
 * publishing) share: DPoP proofs (RFC 9449) signed with the account session's key, the confidential client's JWT
 * assertion (RFC 7523, {@code private_key_jwt}), and form posts to the authorization server that take its DPoP nonce:
 * a server answers {@code use_dpop_nonce} with the nonce in {@code DPoP-Nonce}, and the request is signed again with it.
 * Nonces are kept per server origin ({@link #NONCES}), so only the first request to a server pays the extra round trip.
 */
public final class AtprotoOAuth {
  public static final String SCOPE = "atproto transition:generic";
  public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> NONCES = new ConcurrentHashMap<>();

  private AtprotoOAuth() {}

  /** An answer of an authorization server: status and JSON body (empty when not JSON). */
  public record Answer(int status, JsonNode body) {
    public String error() {
      return body.path("error").asText("");
    }
  }

  /** A DPoP proof for one request (htu without query or fragment); ath binds it to the access token when one is sent. */
  public static String dpopProof(Es256Key key, String method, String url, String nonce, String accessToken) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "dpop+jwt");
    header.put("jwk", key.publicJwk());
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("htm", method);
    claims.put("htu", htu(url));
    claims.put("iat", Instant.now().getEpochSecond());
    if (nonce != null) claims.put("nonce", nonce);
    if (accessToken != null) claims.put("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(Es256Key.sha256(accessToken)));
    return key.sign(header, claims);
  }

  /** The client's authentication in a PAR, token or refresh request: client_id and a fresh assertion for the issuer. */
  public static void authenticate(Map<String, String> form, Es256Key clientKey, String clientId, String issuer) {
    Map<String, Object> claims = new LinkedHashMap<>();
    long now = Instant.now().getEpochSecond();
    claims.put("iss", clientId);
    claims.put("sub", clientId);
    claims.put("aud", issuer);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("iat", now);
    claims.put("exp", now + 300);
    form.put("client_id", clientId);
    form.put("client_assertion_type", ASSERTION_TYPE);
    form.put("client_assertion", clientKey.sign(Map.of("kid", clientKey.kid()), claims));
  }

  /** A form POST with a DPoP proof; a use_dpop_nonce answer is signed again once with the server's new nonce. */
  public static Answer post(OutboundHttp http, String url, Map<String, String> form, Es256Key dpopKey) throws IOException {
    Answer answer = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      String origin = origin(url);
      OutboundHttp.Answer response = http.post(url, Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json",
          "DPoP", dpopProof(dpopKey, "POST", url, NONCES.get(origin), null)), Forms.encode(form));
      String nonce = response.header("DPoP-Nonce");
      if (nonce != null) NONCES.put(origin, nonce);
      answer = new Answer(response.status(), parse(response.text()));
      if (!"use_dpop_nonce".equals(answer.error())) return answer;
    }
    return answer;
  }

  /** The nonce last given by this server (publishing keeps the PDS's nonce the same way). */
  public static String nonce(String url) {
    return NONCES.get(origin(url));
  }

  public static void rememberNonce(String url, String nonce) {
    if (nonce != null && !nonce.isBlank()) NONCES.put(origin(url), nonce);
  }

  /** GET of a JSON document (DID documents, server metadata); anything but 200 reads as an empty object. */
  public static JsonNode get(OutboundHttp http, String url) throws IOException {
    OutboundHttp.Answer response = http.get(url, Map.of("Accept", "application/json"));
    return response.status() == 200 ? parse(response.text()) : JSON.createObjectNode();
  }

  static String htu(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException notJson) {
      return JSON.createObjectNode();
    }
  }
}
