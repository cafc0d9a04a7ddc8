package dev.postflow.publisher.sim;

import dev.postflow.testsupport.platforms.BlueskySimulator;
import dev.postflow.testsupport.platforms.FacebookSimulator;
import dev.postflow.testsupport.platforms.GoogleBusinessSimulator;
import dev.postflow.testsupport.platforms.LinkedInSimulator;
import dev.postflow.testsupport.platforms.MastodonSimulator;
import dev.postflow.testsupport.platforms.MediaHost;
import dev.postflow.testsupport.platforms.MetaContainerSimulator;
import dev.postflow.testsupport.platforms.PinterestSimulator;
import dev.postflow.testsupport.platforms.PlatformSimulators;
import dev.postflow.testsupport.platforms.TikTokSimulator;
import dev.postflow.testsupport.platforms.XSimulator;
import dev.postflow.testsupport.platforms.YouTubeSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** The platform simulators of test-support for publisher tests, with the adapters' base URLs pointed at them. */
public class Simulators implements QuarkusTestResourceLifecycleManager {
  public static final MediaHost media = PlatformSimulators.media;
  public static final MastodonSimulator mastodon = PlatformSimulators.mastodon;
  public static final BlueskySimulator bluesky = PlatformSimulators.bluesky;
  public static final XSimulator x = PlatformSimulators.x;
  public static final MetaContainerSimulator instagram = PlatformSimulators.instagram;
  public static final MetaContainerSimulator threads = PlatformSimulators.threads;
  public static final FacebookSimulator facebook = PlatformSimulators.facebook;
  public static final LinkedInSimulator linkedin = PlatformSimulators.linkedin;
  public static final PinterestSimulator pinterest = PlatformSimulators.pinterest;
  public static final GoogleBusinessSimulator google = PlatformSimulators.google;
  public static final TikTokSimulator tiktok = PlatformSimulators.tiktok;
  public static final YouTubeSimulator youtube = PlatformSimulators.youtube;

  @Override
  public Map<String, String> start() {
    return PlatformSimulators.start();
  }

  @Override
  public void stop() {
    // started once per JVM; the JVM's end stops them
  }
}
