package dev.postflow.contract.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Es256KeyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** RFC 7515 appendix A.3: the ES256 example key. */
  private static final String RFC_7515_KEY = """
      {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
       "d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}""";

  @Test
  void aKeyReadFromItsJwkIsTheSameKeyAndSignsWhatItsPublicHalfVerifies() throws Exception {
    Es256Key key = Es256Key.fromJwk(RFC_7515_KEY);
    assertEquals("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", key.publicJwk().get("x"));
    assertEquals("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", key.publicJwk().get("y"));
    assertFalse(key.publicJwk().containsKey("d"), "the public JWK has no private part");
    assertEquals("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI", JSON.readTree(key.privateJwk()).path("d").asText());

    String jws = key.sign(Map.of("typ", "dpop+jwt"), Map.of("htm", "POST", "iat", 1));
    String[] parts = jws.split("\\.");
    assertEquals(3, parts.length);
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertEquals("ES256", header.path("alg").asText());
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    assertEquals(64, signature.length, "R and S, 32 bytes each (RFC 7518 3.4), not DER");
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(publicKey(key.publicJwk()));
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(verifier.verify(signature));
  }

  @Test
  void coordinatesWithLeadingZeroBytesStayThirtyTwoBytesLong() {
    // About one key in 128 has a coordinate below 2^248, whose big-endian form is shorter than 32 bytes.
    int found = 0;
    for (int i = 0; i < 5_000 && found < 3; i++) {
      Es256Key key = Es256Key.generate(null);
      byte[] x = Base64.getUrlDecoder().decode((String) key.publicJwk().get("x"));
      byte[] y = Base64.getUrlDecoder().decode((String) key.publicJwk().get("y"));
      assertEquals(32, x.length);
      assertEquals(32, y.length);
      if (x[0] == 0 || y[0] == 0) {
        found++;
        Es256Key again = Es256Key.fromJwk(key.privateJwk());
        assertEquals(key.publicJwk(), again.publicJwk());
        assertEquals(key.thumbprint(), again.thumbprint());
      }
    }
    assertTrue(found > 0, "no key with a leading zero byte among 5,000");
  }

  private static PublicKey publicKey(Map<String, Object> jwk) throws Exception {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("x"))),
        new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("y"))));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
  }
}
