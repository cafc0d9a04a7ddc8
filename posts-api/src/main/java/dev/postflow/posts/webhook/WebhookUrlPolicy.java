package dev.postflow.posts.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which webhook URLs may be registered: http(s) with a host that resolves only to public addresses.
 * Loopback is allowed only when the operator says so (local runs and tests).
 */
public final class WebhookUrlPolicy {
  private WebhookUrlPolicy() {}

  /** null when the URL is acceptable, else why not. Resolves the host name (blocking). */
  public static String whyUnsafe(String url, boolean allowLoopback) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return "not a valid URL";
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
      return "the URL must start with https:// (or http://)";
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) return "the URL has no host";
    if (uri.getUserInfo() != null) return "credentials in the URL are not allowed";
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      return "the host does not resolve";
    }
    for (InetAddress address : addresses) {
      if (address.isLoopbackAddress()) {
        if (!allowLoopback) return "the host resolves to a loopback address";
      } else if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
          || address.isMulticastAddress() || isCarrierGradeNat(address) || isUniqueLocalV6(address)) {
        return "the host resolves to a private or reserved address (" + address.getHostAddress() + ")";
      }
    }
    return null;
  }

  private static boolean isCarrierGradeNat(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
  }

  private static boolean isUniqueLocalV6(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 16 && (b[0] & 0xfe) == 0xfc;
  }
}
