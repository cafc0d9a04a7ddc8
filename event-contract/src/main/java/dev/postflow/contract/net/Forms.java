package dev.postflow.contract.net;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** application/x-www-form-urlencoded bodies (OAuth token endpoints, Mastodon's app registration), in the map's order. */
public final class Forms {
  private Forms() {}

  public static String encode(Map<String, String> form) {
    return form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
