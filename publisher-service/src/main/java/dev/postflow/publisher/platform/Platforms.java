package dev.postflow.publisher.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/** The platform publishers of this deployment, by platform name. */
@ApplicationScoped
public class Platforms {
  private final Map<String, PlatformPublisher> byName = new HashMap<>();

  /**
   * Every adapter is on unless {@code postflow.platforms.<name>.enabled=false}: one image, and a deployment that should
   * publish to Instagram only switches the others off (and consumes only Instagram's topic, see application.properties).
   */
  @Inject
  Platforms(Instance<PlatformPublisher> publishers, org.eclipse.microprofile.config.Config config) {
    publishers.forEach(publisher -> {
      boolean enabled = config.getOptionalValue("postflow.platforms." + publisher.platform() + ".enabled", Boolean.class).orElse(true);
      if (enabled) byName.put(publisher.platform(), publisher);
    });
  }

  public java.util.Set<String> enabled() {
    return java.util.Collections.unmodifiableSet(byName.keySet());
  }

  /** null when no publisher for that platform is enabled */
  public PlatformPublisher get(String platform) {
    return byName.get(platform);
  }
}
