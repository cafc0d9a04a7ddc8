package dev.postflow.contract.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** OAuth 1.0a signing against the worked example of Twitter's documentation ("Creating a signature"). */
class OAuth1Test {
  private static final OAuth1.Credentials DOCUMENTED = new OAuth1.Credentials("xvz1evFS4wEEPTGEFPHBog",
      "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
      "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
  private static final String URL = "https://api.twitter.com/1/statuses/update.json";
  private static final Map<String, List<String>> PARAMETERS = Map.of("include_entities", List.of("true"),
      "status", List.of("Hello Ladies + Gentlemen, a signed OAuth request!"));

  private static Map<String, String> oauth() {
    Map<String, String> oauth = new TreeMap<>();
    oauth.put("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog");
    oauth.put("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg");
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.put("oauth_timestamp", "1318622958");
    oauth.put("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb");
    oauth.put("oauth_version", "1.0");
    return oauth;
  }

  @Test
  void theDocumentedExampleGivesTheDocumentedBaseStringAndSignature() {
    assertEquals("POST&https%3A%2F%2Fapi.twitter.com%2F1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key"
        + "%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1"
        + "%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0"
        + "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521",
        OAuth1.baseString("post", URL, PARAMETERS, oauth()));
    assertEquals("tnnArxj06cWHq44gCs1OSKk/jLY=", OAuth1.signature(DOCUMENTED, "POST", URL, PARAMETERS, oauth()));
  }

  @Test
  void theHeaderCarriesEveryOauthParameterAndReadsBack() {
    String header = OAuth1.header(DOCUMENTED, "POST", URL, PARAMETERS, "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958);
    assertTrue(header.startsWith("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce="), header);
    assertTrue(header.contains("oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\""), header);
    Map<String, String> read = OAuth1.parseHeader(header);
    assertEquals("tnnArxj06cWHq44gCs1OSKk/jLY=", read.get("oauth_signature"));
    assertEquals("1318622958", read.get("oauth_timestamp"));
    assertEquals(6 + 1, read.size());
    // a fresh nonce each time
    assertTrue(!OAuth1.parseHeader(OAuth1.header(DOCUMENTED, "POST", URL, PARAMETERS)).get("oauth_nonce")
        .equals(OAuth1.parseHeader(OAuth1.header(DOCUMENTED, "POST", URL, PARAMETERS)).get("oauth_nonce")));
  }

  @Test
  void encodingIsRfc3986sUnreservedSetWithUpperCaseHex() {
    assertEquals("Ladies%20%2B%20Gentlemen%2C%20%E2%98%83~._-", OAuth1.encode("Ladies + Gentlemen, \u2603~._-"));
  }
}
