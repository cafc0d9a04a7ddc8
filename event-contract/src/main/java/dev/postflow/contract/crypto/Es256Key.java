package dev.postflow.contract.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A P-256 key that signs JWS with ES256 (RFC 7518 3.4: the signature is R and S, 32 bytes each), kept as a JWK
 * (RFC 7517) with its private part {@code d}. atproto OAuth uses two: the client's key (client assertions) and a key per
 * account session (DPoP proofs). {@link #privateJwk()} is what is stored (encrypted); {@link #publicJwk()} is what
 * servers see.
 */
public final class Es256Key {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final ECParameterSpec P256 = p256();

  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final String kid;

  private Es256Key(ECPrivateKey privateKey, ECPublicKey publicKey, String kid) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = kid;
  }

  /** A new random key; kid, when given, names it in a JWKS. */
  public static Es256Key generate(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      var pair = generator.generateKeyPair();
      return new Es256Key((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(), kid);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key from its private JWK (as {@link #privateJwk()} wrote it). */
  public static Es256Key fromJwk(String privateJwk) {
    try {
      JsonNode jwk = JSON.readTree(privateJwk);
      if (!"EC".equals(jwk.path("kty").asText()) || !"P-256".equals(jwk.path("crv").asText())) {
        throw new IllegalArgumentException("not a P-256 JWK");
      }
      KeyFactory factory = KeyFactory.getInstance("EC");
      ECPoint point = new ECPoint(unsigned(jwk.path("x").asText()), unsigned(jwk.path("y").asText()));
      ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(point, P256));
      ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(unsigned(jwk.path("d").asText()), P256));
      return new Es256Key(privateKey, publicKey, jwk.hasNonNull("kid") ? jwk.path("kid").asText() : null);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("not a P-256 private JWK: " + e.getMessage());
    }
  }

  public String kid() {
    return kid;
  }

  /** kty, crv, x, y (and kid, alg, use when named): the part others may see. */
  public Map<String, Object> publicJwk() {
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "EC");
    jwk.put("crv", "P-256");
    jwk.put("x", coordinate(publicKey.getW().getAffineX()));
    jwk.put("y", coordinate(publicKey.getW().getAffineY()));
    if (kid != null) {
      jwk.put("kid", kid);
      jwk.put("alg", "ES256");
      jwk.put("use", "sig");
    }
    return jwk;
  }

  /** The public JWK with d: the whole key, to be stored encrypted. */
  public String privateJwk() {
    Map<String, Object> jwk = publicJwk();
    jwk.put("d", coordinate(privateKey.getS()));
    return write(jwk);
  }

  /** RFC 7638 thumbprint (SHA-256 of crv, kty, x, y in that order), base64url: what a DPoP-bound token is bound to. */
  public String thumbprint() {
    Map<String, Object> jwk = publicJwk();
    String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
    return B64.encodeToString(sha256(canonical));
  }

  /** A compact JWS: header (alg ES256 added) and claims as JSON, signed. */
  public String sign(Map<String, Object> header, Map<String, Object> claims) {
    Map<String, Object> protectedHeader = new LinkedHashMap<>(header);
    protectedHeader.put("alg", "ES256");
    String input = B64.encodeToString(write(protectedHeader).getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(write(claims).getBytes(StandardCharsets.UTF_8));
    try {
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(privateKey);
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String coordinate(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int from = Math.max(0, bytes.length - 32);
    System.arraycopy(bytes, from, fixed, 32 - (bytes.length - from), bytes.length - from);
    return B64.encodeToString(fixed);
  }

  private static BigInteger unsigned(String base64url) {
    byte[] bytes = Base64.getUrlDecoder().decode(base64url);
    if (bytes.length == 0) throw new IllegalArgumentException("empty JWK member");
    return new BigInteger(1, Arrays.copyOf(bytes, bytes.length));
  }

  private static String write(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Es256Key[" + (kid == null ? thumbprint() : kid) + "]";
  }
}
