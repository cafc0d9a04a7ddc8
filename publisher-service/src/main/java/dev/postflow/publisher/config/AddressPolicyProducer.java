package dev.postflow.publisher.config;

import dev.postflow.contract.net.AddressPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Servers an account names (Mastodon instance, Bluesky PDS) are called only when public, like webhook endpoints. */
public class AddressPolicyProducer {
  @Produces
  @Singleton
  AddressPolicy addressPolicy(@ConfigProperty(name = "postflow.outbound.allowed-cidrs") Optional<List<String>> allowedCidrs,
      @ConfigProperty(name = "postflow.outbound.require-https") boolean requireHttps) {
    return new AddressPolicy(allowedCidrs.orElse(List.of()), requireHttps);
  }
}
