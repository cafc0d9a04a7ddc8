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

  @Inject
  Platforms(Instance<PlatformPublisher> publishers) {
    publishers.forEach(publisher -> byName.put(publisher.platform(), publisher));
  }

  /** null when no publisher for that platform is enabled */
  public PlatformPublisher get(String platform) {
    return byName.get(platform);
  }
}
