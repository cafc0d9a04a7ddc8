package dev.postflow.webhooks.config;

import dev.postflow.contract.crypto.SecretCipher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

public class SecretCipherProducer {
  @Produces
  @Singleton
  SecretCipher secretCipher(@ConfigProperty(name = "postflow.encryption-key") String key) {
    return new SecretCipher(key);
  }
}
