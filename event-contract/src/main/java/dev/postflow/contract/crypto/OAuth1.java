package dev.postflow.contract.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a request signing, HMAC-SHA1 (RFC 5849, section 3; X's "user context" for apps that hold OAuth 1.0a user
 * tokens). The signature covers the method, the URL without its query, and every parameter: the query's, those of
 * a form body, and the oauth_ ones; a JSON or multipart body is not covered. Percent-encoding is RFC 3986's unreserved
 * set (section 3.6), upper-case hex.
 */
public final class OAuth1 {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OAuth1() {}

  /** The app's consumer key and secret (X: API key and secret) and the user's access token and secret. */
  public record Credentials(String consumerKey, String consumerSecret, String token, String tokenSecret) {}

  /** The Authorization header value for a request: {@code OAuth oauth_consumer_key="…", …, oauth_signature="…"}. */
  public static String header(Credentials credentials, String method, String url, Map<String, List<String>> parameters) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return header(credentials, method, url, parameters, Base64.getUrlEncoder().withoutPadding().encodeToString(nonce).replace("-", "").replace("_", ""),
        System.currentTimeMillis() / 1000);
  }

  /** The same with a given nonce and timestamp (tests, and servers checking a signature). */
  public static String header(Credentials credentials, String method, String url, Map<String, List<String>> parameters, String nonce,
      long timestamp) {
    Map<String, String> oauth = new TreeMap<>();
    oauth.put("oauth_consumer_key", credentials.consumerKey());
    oauth.put("oauth_nonce", nonce);
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.put("oauth_timestamp", String.valueOf(timestamp));
    oauth.put("oauth_token", credentials.token());
    oauth.put("oauth_version", "1.0");
    oauth.put("oauth_signature", signature(credentials, method, url, parameters, oauth));
    List<String> fields = new ArrayList<>();
    oauth.forEach((name, value) -> fields.add(encode(name) + "=\"" + encode(value) + "\""));
    return "OAuth " + String.join(", ", fields);
  }

  /** The signature of a request whose oauth_ parameters (without oauth_signature) are {@code oauth}. */
  public static String signature(Credentials credentials, String method, String url, Map<String, List<String>> parameters, Map<String, String> oauth) {
    String key = encode(credentials.consumerSecret()) + "&" + encode(credentials.tokenSecret() == null ? "" : credentials.tokenSecret());
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(baseString(method, url, parameters, oauth).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
    }
  }

  /** The signature base string (section 3.4.1): METHOD&url&parameters, each part percent-encoded, parameters sorted. */
  public static String baseString(String method, String url, Map<String, List<String>> parameters, Map<String, String> oauth) {
    List<String> pairs = new ArrayList<>();
    parameters.forEach((name, values) -> values.forEach(value -> pairs.add(encode(name) + "=" + encode(value))));
    oauth.forEach((name, value) -> {
      if (!name.equals("oauth_signature")) pairs.add(encode(name) + "=" + encode(value));
    });
    pairs.sort(null); // by encoded name, then encoded value: a plain string sort of "name=value" (section 3.4.1.3.2)
    return method.toUpperCase(java.util.Locale.ROOT) + "&" + encode(url) + "&" + encode(String.join("&", pairs));
  }

  /** Percent-encoding of RFC 3986's reserved characters (section 3.6): everything but ALPHA, DIGIT, '-', '.', '_', '~'. */
  public static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** The parameters of an {@code Authorization: OAuth …} header, decoded; empty when it is not one. */
  public static Map<String, String> parseHeader(String header) {
    Map<String, String> fields = new TreeMap<>();
    if (header == null || !header.startsWith("OAuth ")) return fields;
    java.util.regex.Matcher field = java.util.regex.Pattern.compile("([a-z_]+)=\"([^\"]*)\"").matcher(header.substring(6));
    while (field.find()) fields.put(field.group(1), java.net.URLDecoder.decode(field.group(2).replace("+", "%2B"), StandardCharsets.UTF_8));
    return fields;
  }
}
