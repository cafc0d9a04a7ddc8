package dev.postflow.webhooks.config;

import dev.postflow.contract.net.AddressPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The same rule posts-api applies at registration, applied again here to every address we connect to. */
public class AddressPolicyProducer {
  @Produces
  @Singleton
  AddressPolicy addressPolicy(@ConfigProperty(name = "postflow.outbound.allowed-cidrs") Optional<List<String>> allowedCidrs,
      @ConfigProperty(name = "postflow.webhooks.require-https") boolean requireHttps) {
    return new AddressPolicy(allowedCidrs.orElse(List.of()), requireHttps);
  }
}
