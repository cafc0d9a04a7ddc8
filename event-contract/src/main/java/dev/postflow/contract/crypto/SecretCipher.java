package dev.postflow.contract.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets stored in PostgreSQL (platform tokens, webhook signing secrets). Stored form:
 * {@code v1:<base64(12-byte nonce | ciphertext | tag)>}. The key is 32 bytes, base64, from configuration;
 * every service that reads a secret is configured with the same key.
 */
public final class SecretCipher {
  private static final String PREFIX = "v1:";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  public SecretCipher(String base64Key) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the encryption key must be base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("the encryption key must be 32 bytes (base64 of 32 random bytes), got " + raw.length);
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  public String encrypt(String plaintext) {
    if (plaintext == null) return null;
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  public String decrypt(String stored) {
    if (stored == null) return null;
    if (!stored.startsWith(PREFIX)) throw new IllegalArgumentException("unknown secret format");
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a stored secret could not be decrypted (wrong key?)", e);
    }
  }
}
