package dev.postflow.testsupport.platforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulator per platform protocol (and a media host), started once per JVM, with the publisher configuration that
 * points each adapter at its simulator. Used by publisher-service's adapter tests and by the end-to-end system test.
 */
public final class PlatformSimulators {
  public static final MediaHost media = new MediaHost();
  public static final MastodonSimulator mastodon = new MastodonSimulator();
  public static final BlueskySimulator bluesky = new BlueskySimulator();
  public static final XSimulator x = new XSimulator();
  public static final MetaContainerSimulator instagram = new MetaContainerSimulator(true);
  public static final MetaContainerSimulator threads = new MetaContainerSimulator(false);
  public static final FacebookSimulator facebook = new FacebookSimulator();
  public static final LinkedInSimulator linkedin = new LinkedInSimulator();
  public static final PinterestSimulator pinterest = new PinterestSimulator();
  public static final GoogleBusinessSimulator google = new GoogleBusinessSimulator();
  public static final TikTokSimulator tiktok = new TikTokSimulator();
  public static final YouTubeSimulator youtube = new YouTubeSimulator();

  private PlatformSimulators() {}

  public static List<Simulator> all() {
    return List.of(media, mastodon, bluesky, x, instagram, threads, facebook, linkedin, pinterest, google, tiktok, youtube);
  }

  /** Starts them all (once) and answers publisher-service's base-URL configuration. */
  public static synchronized Map<String, String> start() {
    all().forEach(Simulator::start);
    Map<String, String> config = new LinkedHashMap<>();
    config.put("postflow.platforms.x.base-url", x.baseUrl());
    config.put("postflow.platforms.instagram.base-url", instagram.baseUrl());
    config.put("postflow.platforms.threads.base-url", threads.baseUrl());
    config.put("postflow.platforms.instagram.token-base-url", instagram.baseUrl());
    config.put("postflow.platforms.threads.token-base-url", threads.baseUrl());
    config.put("postflow.platforms.facebook.base-url", facebook.baseUrl());
    config.put("postflow.platforms.linkedin.base-url", linkedin.baseUrl());
    config.put("postflow.platforms.pinterest.base-url", pinterest.baseUrl());
    config.put("postflow.platforms.google_business.base-url", google.baseUrl());
    config.put("postflow.platforms.tiktok.base-url", tiktok.baseUrl());
    config.put("postflow.platforms.youtube.base-url", youtube.baseUrl());
    return config;
  }

  public static void stop() {
    all().forEach(Simulator::stop);
  }
}
