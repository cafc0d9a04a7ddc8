package dev.postflow.posts;

import dev.postflow.testsupport.platforms.PlatformSimulators;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** The platform simulators' OAuth servers, with posts-api's connect configuration pointed at them. */
public class PlatformOAuthServers implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return PlatformSimulators.startForOAuthConnect();
  }

  @Override
  public void stop() {
    // started once per JVM; the JVM's end stops them
  }
}
