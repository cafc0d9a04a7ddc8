package dev.postflow.posts.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.Forms;
import dev.postflow.posts.config.OutboundServers;
import dev.postflow.posts.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Mastodon has no central OAuth server: each instance registers our app for our callback ({@code POST /api/v1/apps})
 * the first time one of its users connects, and the client it gives is kept (the secret encrypted) in
 * {@code posts.mastodon_app}. The instance passes the SSRF guard every time it is called.
 */
@ApplicationScoped
public class MastodonApps {
  /** The client an instance registered for us. */
  public record App(String clientId, String clientSecret) {}

  private static final String FIND = "select client_id, client_secret from posts.mastodon_app where instance_url = $1 and redirect_uri = $2";

  @Inject Pool pool;
  @Inject SecretCipher cipher;
  @Inject ObjectMapper json;
  @Inject AddressPolicy addressPolicy;

  @ConfigProperty(name = "postflow.oauth.mastodon.client-name", defaultValue = "Postflow")
  String clientName;

  @ConfigProperty(name = "postflow.oauth.mastodon.scopes", defaultValue = "read:accounts write:statuses write:media")
  String scopes;

  @Inject OutboundServers outbound;

  public String scopes() {
    return scopes;
  }

  /** The app registered at this instance for this callback, registering it first if there is none; blocking. */
  public App app(String instance, String callbackUrl) {
    String unsafe = addressPolicy.whyUnsafe(instance);
    if (unsafe != null) throw invalid("unsafe_url", "instance_url: " + unsafe);
    var found = OAuthConnect.await(pool.preparedQuery(FIND).execute(Tuple.of(instance, callbackUrl)));
    if (!found.iterator().hasNext()) {
      JsonNode registered = register(instance, callbackUrl);
      OAuthConnect.await(pool.preparedQuery("insert into posts.mastodon_app (instance_url, redirect_uri, client_id, client_secret) values ($1, $2, $3, $4)"
          + " on conflict do nothing").execute(Tuple.of(instance, callbackUrl, registered.path("client_id").asText(),
          cipher.encrypt(registered.path("client_secret").asText()))));
      found = OAuthConnect.await(pool.preparedQuery(FIND).execute(Tuple.of(instance, callbackUrl)));   // a concurrent registration may have won
    }
    Row row = found.iterator().next();
    return new App(row.getString("client_id"), cipher.decrypt(row.getString("client_secret")));
  }

  private JsonNode register(String instance, String callbackUrl) {
    JsonNode registered;
    try {
      String form = Forms.encode(Map.of("client_name", clientName, "redirect_uris", callbackUrl, "scopes", scopes));
      registered = json.readTree(outbound.userNamed().post(instance + "/api/v1/apps",
          Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"), form).text());
    } catch (Exception e) {
      throw invalid("instance_unreachable", "instance_url: registering our app at " + instance + "/api/v1/apps failed ("
          + e.getClass().getSimpleName() + "); is it a Mastodon server?");
    }
    if (!registered.hasNonNull("client_id") || !registered.hasNonNull("client_secret")) {
      throw invalid("instance_refused", "instance_url: " + instance + " did not register our app; is it a Mastodon server?");
    }
    return registered;
  }

  private static ProblemException invalid(String code, String message) {
    return ProblemException.invalidField("instance_url", code, message);
  }
}
