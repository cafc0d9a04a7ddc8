package dev.postflow.contract.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which outgoing URLs we may call on a user's behalf (webhook endpoints, media imports, self-hosted servers).
 * Only public addresses: loopback, private, link-local, CGNAT, multicast, reserved, documentation and IPv6 local
 * ranges are refused, unless the operator allows a CIDR range (local runs and tests allow loopback only).
 * Used at registration and again at connect time, after DNS resolution, so DNS rebinding fails.
 */
public final class AddressPolicy {
  /** A host made only of digits, dots and hex markers that is not a canonical dotted quad: 2130706433, 0177.0.0.1, 0x7f.1 */
  private static final Pattern NUMERIC_HOST = Pattern.compile("^[0-9a-fA-FxX.]+$");
  private static final Pattern DOTTED_QUAD = Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

  private static final List<Cidr> BLOCKED = List.of(
      Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
      Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"),
      Cidr.parse("192.88.99.0/24"), Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
      Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
      Cidr.parse("::/96"), Cidr.parse("64:ff9b::/96"),
      Cidr.parse("100::/64"), Cidr.parse("2001::/23"), Cidr.parse("2001:db8::/32"), Cidr.parse("2002::/16"),
      Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"), Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

  /** Resolves a host name to addresses; the JDK's resolver in production. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** Thrown when a host resolves to an address we must not call; an UnknownHostException so HTTP clients treat it as a connect failure. */
  public static final class UnsafeAddressException extends UnknownHostException {
    public UnsafeAddressException(String message) {
      super(message);
    }
  }

  private final List<Cidr> allowed;
  private final boolean requireHttps;
  private final Resolver resolver;

  public AddressPolicy(List<String> allowedCidrs, boolean requireHttps) {
    this(allowedCidrs, requireHttps, InetAddress::getAllByName);
  }

  public AddressPolicy(List<String> allowedCidrs, boolean requireHttps, Resolver resolver) {
    List<Cidr> parsed = new ArrayList<>();
    for (String cidr : allowedCidrs) {
      if (!cidr.isBlank()) parsed.add(Cidr.parse(cidr.trim()));
    }
    this.allowed = List.copyOf(parsed);
    this.requireHttps = requireHttps;
    this.resolver = resolver;
  }

  public boolean requireHttps() {
    return requireHttps;
  }

  /** null when the URL may be called, else the reason for the caller. Resolves the host name (blocking). */
  public String whyUnsafe(String url) {
    return check(url).reason();
  }

  /** A URL checked: the addresses its host resolved to (all allowed), or the reason it may not be called. */
  public record Checked(String reason, InetAddress[] addresses) {}

  /**
   * Checks the URL and resolves its host (blocking). A client that connects to {@link Checked#addresses()} instead of
   * resolving the name again is safe from DNS rebinding.
   */
  public Checked check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return refused("not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (requireHttps && !scheme.equals("https")) return refused("the URL must start with https://");
    if (!scheme.equals("https") && !scheme.equals("http")) return refused("the URL must start with https:// (or http://)");
    if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) return refused("credentials in the URL are not allowed");
    if (uri.getHost() == null || uri.getHost().isBlank()) return refused("the URL has no host");
    try {
      return new Checked(null, resolveSafely(uri.getHost()));
    } catch (UnsafeAddressException e) {
      return refused(e.getMessage());
    } catch (UnknownHostException e) {
      return refused("the host does not resolve");
    }
  }

  private static Checked refused(String reason) {
    return new Checked(reason, new InetAddress[0]);
  }

  /** Resolves the host and returns its addresses only when every one of them is allowed. */
  public InetAddress[] resolveSafely(String host) throws UnknownHostException {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (NUMERIC_HOST.matcher(bare).matches() && !bare.contains(":") && looksNumeric(bare) && !DOTTED_QUAD.matcher(bare).matches()) {
      throw new UnsafeAddressException("the host is an IP address in an ambiguous form (decimal, octal or hex); write it as a.b.c.d");
    }
    InetAddress[] addresses = resolver.resolve(bare);
    if (addresses.length == 0) throw new UnknownHostException(host);
    for (InetAddress address : addresses) {
      String reason = whyUnsafe(address);
      if (reason != null) throw new UnsafeAddressException(reason);
    }
    return addresses;
  }

  /** null when this address may be called. */
  public String whyUnsafe(InetAddress address) {
    for (Cidr cidr : allowed) {
      if (cidr.contains(address)) return null;
    }
    for (Cidr cidr : BLOCKED) {
      if (cidr.contains(address)) {
        return "the host resolves to a non-public address (" + address.getHostAddress() + ")";
      }
    }
    return null;
  }

  private static boolean looksNumeric(String host) {
    // Host names may contain a-f letters too ("cafe.example"); a numeric form starts with a digit in every label.
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() || !Character.isDigit(label.charAt(0))) return false;
    }
    return true;
  }

  /** An IPv4 or IPv6 prefix. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      try {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) throw new IllegalArgumentException("bad prefix in " + text);
        return new Cidr(bytes, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a CIDR range: " + text, e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) return false;
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
      }
      return true;
    }
  }
}
