package dev.postflow.posts.config;

import dev.postflow.contract.net.AddressPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which URLs users may make us call (webhook endpoints): public addresses only, plus the operator's CIDR ranges. */
public class AddressPolicyProducer {
  @Produces
  @Singleton
  AddressPolicy addressPolicy(@ConfigProperty(name = "postflow.outbound.allowed-cidrs") Optional<List<String>> allowedCidrs,
      @ConfigProperty(name = "postflow.webhooks.require-https") boolean requireHttps) {
    return new AddressPolicy(allowedCidrs.orElse(List.of()), requireHttps);
  }
}
