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
    config.put("postflow.oauth.x.consumer-key", XSimulator.CONSUMER_KEY);
    config.put("postflow.oauth.x.consumer-secret", XSimulator.CONSUMER_SECRET);
    config.put("postflow.platforms.bluesky.video-service-url", bluesky.baseUrl());
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
    // Token refresh goes to the simulators' OAuth servers, with their client (the defaults are the platforms' own URLs).
    config.put("postflow.platforms.linkedin.token-url", linkedin.baseUrl() + linkedin.oauth.dialect.tokenPath());
    config.put("postflow.platforms.youtube.token-url", youtube.baseUrl() + youtube.oauth.dialect.tokenPath());
    config.put("postflow.platforms.google_business.token-url", google.baseUrl() + google.oauth.dialect.tokenPath());
    for (String platform : List.of("linkedin", "pinterest", "tiktok", "youtube", "google_business")) {
      config.put("postflow.oauth." + platform + ".client-id", OAuthServer.CLIENT_ID);
      config.put("postflow.oauth." + platform + ".client-secret", OAuthServer.CLIENT_SECRET);
    }
    return config;
  }

  /**
   * Starts them all (once) and answers posts-api's OAuth connect configuration: every platform whose connect is a
   * code flow points at its simulator's OAuth server ({@link OAuthServer}), with the simulators' client.
   */
  public static synchronized Map<String, String> startForOAuthConnect() {
    all().forEach(Simulator::start);
    Map<String, String> config = new LinkedHashMap<>();
    oauth(config, "x", x.baseUrl(), x.oauth, "/2/users/me");
    oauth(config, "linkedin", linkedin.baseUrl(), linkedin.oauth, "/v2/userinfo");
    oauth(config, "pinterest", pinterest.baseUrl(), pinterest.oauth, "/v5/user_account");
    oauth(config, "tiktok", tiktok.baseUrl(), tiktok.oauth, "/v2/user/info/?fields=open_id,display_name,username");
    oauth(config, "youtube", youtube.baseUrl(), youtube.oauth, "/youtube/v3/channels?part=snippet&mine=true");
    oauth(config, "threads", threads.baseUrl(), threads.oauth, "/v1.0/me?fields=id,username");
    config.put("postflow.oauth.threads.long-lived-url", threads.baseUrl() + "/access_token?grant_type=th_exchange_token&client_secret={client_secret}&access_token={access_token}");
    oauth(config, "instagram", instagram.baseUrl(), instagram.oauth, "/v23.0/me?fields=user_id,username");
    config.put("postflow.oauth.instagram.long-lived-url", instagram.baseUrl() + "/access_token?grant_type=ig_exchange_token&client_secret={client_secret}&access_token={access_token}");
    oauth(config, "facebook", facebook.baseUrl(), facebook.oauth, null);
    config.put("postflow.oauth.facebook.long-lived-url", facebook.baseUrl()
        + "/v23.0/oauth/access_token?grant_type=fb_exchange_token&client_id={client_id}&client_secret={client_secret}&fb_exchange_token={access_token}");
    config.put("postflow.oauth.facebook.accounts-url", facebook.baseUrl() + "/v23.0/me/accounts?fields=id,name,access_token");
    oauth(config, "google_business", google.baseUrl(), google.oauth, null);
    config.put("postflow.oauth.google_business.accounts-url", google.baseUrl() + "/v1/accounts");
    config.put("postflow.oauth.google_business.locations-url", google.baseUrl() + "/v1/{account}/locations?readMask=name,title");
    // Bluesky: handles resolve and did:plc documents are read at the simulator (which is the account's PDS and its
    // authorization server); no client to configure.
    config.put("postflow.oauth.bluesky.handle-resolver", bluesky.baseUrl());
    config.put("postflow.oauth.bluesky.plc-directory", bluesky.baseUrl());
    return config;
  }

  private static void oauth(Map<String, String> config, String platform, String baseUrl, OAuthServer server, String userinfoPath) {
    String prefix = "postflow.oauth." + platform + ".";
    config.put(prefix + "authorize-url", baseUrl + server.dialect.authorizePath());
    config.put(prefix + "token-url", baseUrl + server.dialect.tokenPath());
    if (userinfoPath != null) config.put(prefix + "userinfo-url", baseUrl + userinfoPath);
    config.put(prefix + "client-id", OAuthServer.CLIENT_ID);
    config.put(prefix + "client-secret", OAuthServer.CLIENT_SECRET);
  }

  public static void stop() {
    all().forEach(Simulator::stop);
  }
}
