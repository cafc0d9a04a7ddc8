package dev.postflow.publisher.sim;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts every platform simulator (and the media host) for the tests, and points the adapters' base URLs at them. */
public class Simulators implements QuarkusTestResourceLifecycleManager {
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

  static List<Simulator> all() {
    return List.of(media, mastodon, bluesky, x, instagram, threads, facebook, linkedin, pinterest, google, tiktok, youtube);
  }

  @Override
  public Map<String, String> start() {
    all().forEach(Simulator::start);
    Map<String, String> config = new HashMap<>();
    config.put("postflow.platforms.x.base-url", x.baseUrl());
    config.put("postflow.platforms.instagram.base-url", instagram.baseUrl());
    config.put("postflow.platforms.threads.base-url", threads.baseUrl());
    config.put("postflow.platforms.facebook.base-url", facebook.baseUrl());
    config.put("postflow.platforms.linkedin.base-url", linkedin.baseUrl());
    config.put("postflow.platforms.pinterest.base-url", pinterest.baseUrl());
    config.put("postflow.platforms.google_business.base-url", google.baseUrl());
    config.put("postflow.platforms.tiktok.base-url", tiktok.baseUrl());
    config.put("postflow.platforms.youtube.base-url", youtube.baseUrl());
    return config;
  }

  @Override
  public void stop() {
    all().forEach(Simulator::stop);
  }
}
