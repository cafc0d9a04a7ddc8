package dev.postflow.posts.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.posts.account.OAuthConnect;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hosted connect links: a short-lived URL a workspace hands to its own user (a customer, a brand manager), who opens it
 * in a browser, picks a platform and goes through that platform's OAuth consent, without an API key and without the
 * workspace building any connect UI. The link is its claims (workspace, platforms, where the user returns, expiry)
 * sealed with the deployment's encryption key (AES-GCM): it cannot be read, altered or made up, and needs no row.
 */
@ApplicationScoped
public class ConnectLinks {
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  static final Duration LONGEST_LIFETIME = Duration.ofDays(2);

  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject OAuthConnect oauth;
  @Inject Pool pool;

  @ConfigProperty(name = "postflow.public-base-url")
  String publicBaseUrl;

  /** {@code expires_in} in seconds (60 to 172,800; 3,600 by default); {@code platforms} by default every real one the workspace can connect. */
  public record LinkRequest(String redirectUri, List<String> platforms, Long expiresIn) {}

  public record LinkView(String url, List<String> platforms, String redirectUri, Instant expiresAt) {}

  /** What a link grants; sealed into its URL. */
  public record Claims(String workspaceId, List<String> platforms, String redirectUri, long expires) {}

  /** A new link (blocking: which platforms the workspace can connect is read from its OAuth apps). */
  public LinkView create(String workspaceId, LinkRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) throw ProblemException.validation(List.of(FieldError.of("redirect_uri", "required", "give redirect_uri")));
    if (request.redirectUri() == null || !request.redirectUri().matches("https?://[^\\s]+")) {
      errors.add(FieldError.of("redirect_uri", "invalid_url", "redirect_uri must be the http(s) URL the user returns to, with account_id or error"));
    }
    List<String> connectable = oauth.connectable(workspaceId);
    // The sandbox only when named: a link for real users offers real platforms.
    List<String> platforms = request.platforms() == null ? connectable.stream().filter(p -> !p.equals("sandbox")).toList()
        : new ArrayList<>(new LinkedHashSet<>(request.platforms()));
    if (platforms.isEmpty()) {
      errors.add(FieldError.of("platforms", request.platforms() == null ? "oauth_not_configured" : "required",
          "no platform to connect: set OAuth apps (postflow.oauth.<platform>.* or PUT /v1/oauth-apps/{platform}) or name platforms"));
    }
    for (int i = 0; i < platforms.size(); i++) {
      if (!connectable.contains(platforms.get(i))) {
        errors.add(FieldError.of("platforms[" + i + "]", "platform_not_connectable", platforms.get(i) + " cannot be connected with OAuth here;"
            + " these can: " + connectable + " (others need their OAuth app: PUT /v1/oauth-apps/{platform})"));
      }
    }
    long seconds = request.expiresIn() == null ? DEFAULT_LIFETIME.toSeconds() : request.expiresIn();
    if (seconds < 60 || seconds > LONGEST_LIFETIME.toSeconds()) {
      errors.add(FieldError.of("expires_in", "out_of_range", "expires_in is in seconds, from 60 to " + LONGEST_LIFETIME.toSeconds()));
    }
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    Instant expires = Instant.now().plusSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Claims claims = new Claims(workspaceId, platforms, request.redirectUri(), expires.getEpochSecond());
    return new LinkView(pageUrl(seal(claims)), platforms, request.redirectUri(), expires);
  }

  /** The claims of a link; 404 when it is not one of ours, 410 when it has expired. */
  public Claims open(String token) {
    Claims claims;
    try {
      String sealed = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      claims = json.readValue(cipher.decrypt(sealed), Claims.class);
    } catch (Exception notOurs) {
      throw new ProblemException(404, "link_invalid", "This link is not valid", "ask for a new connect link");
    }
    if (Instant.now().getEpochSecond() > claims.expires()) {
      throw new ProblemException(410, "link_expired", "This link has expired", "ask for a new connect link");
    }
    return claims;
  }

  /**
   * Starts the OAuth connect of one of the link's platforms: the platform's authorization URL, where the browser goes
   * next. After consent the browser returns to the link's redirect_uri with account_id (or error), as with
   * POST /v1/accounts/connect.
   */
  public String start(Claims claims, String platform, String instanceUrl, String handle) {
    if (platform == null || !claims.platforms().contains(platform)) {
      throw ProblemException.invalidField("platform", "platform_not_offered", "this link connects " + claims.platforms());
    }
    return oauth.start(claims.workspaceId(), platform, claims.redirectUri(), blankToNull(instanceUrl), blankToNull(handle)).authorizationUrl();
  }

  /** The workspace's name, shown on the page so the user knows who asks. */
  public String workspaceName(String workspaceId) {
    var rows = pool.preparedQuery("select name from posts.workspace where id = $1").execute(Tuple.of(workspaceId))
        .await().atMost(Duration.ofSeconds(10));
    return rows.iterator().hasNext() ? rows.iterator().next().getString(0) : "";
  }

  public String startUrl(String token) {
    return pageUrl(token) + "/start";
  }

  private String pageUrl(String token) {
    String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    return base + "/connect/" + token;
  }

  private String seal(Claims claims) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(cipher.encrypt(json.writeValueAsString(claims)).getBytes(StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
