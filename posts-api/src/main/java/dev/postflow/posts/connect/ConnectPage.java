package dev.postflow.posts.connect;

import java.util.List;
import java.util.Map;

/** The hosted connect page and its error page: plain HTML, no script, every value escaped. */
final class ConnectPage {
  private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("sandbox", "Sandbox"), Map.entry("x", "X"),
      Map.entry("facebook", "Facebook Pages"), Map.entry("instagram", "Instagram"), Map.entry("threads", "Threads"),
      Map.entry("linkedin", "LinkedIn"), Map.entry("pinterest", "Pinterest"), Map.entry("tiktok", "TikTok"), Map.entry("youtube", "YouTube"),
      Map.entry("google_business", "Google Business Profile"), Map.entry("mastodon", "Mastodon"), Map.entry("bluesky", "Bluesky"));

  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
      h1{font-size:1.4rem}form{margin:.6rem 0;display:flex;gap:.5rem}button{padding:.55rem 1rem;font-size:1rem;cursor:pointer}
      input{flex:1;padding:.5rem;font-size:1rem}.muted{color:#59636e;font-size:.9rem}""";

  private ConnectPage() {}

  static String of(String workspaceName, List<String> platforms, String startUrl, java.time.Instant expires) {
    StringBuilder forms = new StringBuilder();
    for (String platform : platforms) {
      forms.append("<form method=\"get\" action=\"").append(escape(startUrl)).append("\">")
          .append("<input type=\"hidden\" name=\"platform\" value=\"").append(escape(platform)).append("\">");
      if (platform.equals("mastodon")) {
        forms.append("<input name=\"instance_url\" placeholder=\"https://mastodon.social\" required aria-label=\"Your Mastodon server\">");
      } else if (platform.equals("bluesky")) {
        forms.append("<input name=\"handle\" placeholder=\"you.bsky.social\" required aria-label=\"Your Bluesky handle\">");
      }
      forms.append("<button type=\"submit\">Connect ").append(escape(NAMES.getOrDefault(platform, platform))).append("</button></form>\n");
    }
    String who = workspaceName == null || workspaceName.isBlank() ? "this workspace" : escape(workspaceName);
    return page("Connect your accounts", "<h1>Connect your accounts to " + who + "</h1>\n"
        + "<p>Choose a platform; it asks for your consent, then sends you back.</p>\n" + forms
        + "<p class=\"muted\">This link works until " + escape(expires.toString()) + ".</p>");
  }

  static String error(String title, String detail) {
    return page(title, "<h1>" + escape(title) + "</h1>\n<p>" + escape(detail) + "</p>");
  }

  private static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        + "<title>" + escape(title) + "</title><style>" + STYLE + "</style></head>\n<body>\n" + body + "\n</body></html>\n";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
