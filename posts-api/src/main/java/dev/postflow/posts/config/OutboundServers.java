package dev.postflow.posts.config;

import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.contract.net.OutboundHttp;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;

/**
 * The HTTP clients of the OAuth connects: one for servers an account names (a Mastodon instance, a Bluesky PDS, its
 * authorization server, a did:web domain), whose every address the SSRF guard checks at connect time, and one for the
 * servers the operator configured (the platforms' token endpoints, the handle resolver).
 */
@ApplicationScoped
public class OutboundServers {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final OutboundHttp userNamed;
  private final OutboundHttp configured;

  OutboundServers(AddressPolicy policy) {
    userNamed = OutboundHttp.guarded(policy, TIMEOUT, "postflow");
    configured = OutboundHttp.unguarded(TIMEOUT, "postflow");
  }

  /** For a server an account names. */
  public OutboundHttp userNamed() {
    return userNamed;
  }

  /** For a server in our configuration. */
  public OutboundHttp configured() {
    return configured;
  }

  @PreDestroy
  void close() throws IOException {
    userNamed.close();
    configured.close();
  }
}
