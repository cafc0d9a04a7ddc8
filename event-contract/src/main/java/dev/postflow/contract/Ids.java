package dev.postflow.contract;

import java.security.SecureRandom;

/**
 * Opaque, prefixed, time-sortable ids ({@code post_01J...}): 48 bits of milliseconds and 80 random
 * bits in Crockford base32, like a ULID.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String newId(String prefix) {
    long time = System.currentTimeMillis();
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long hi = 0;
    for (int i = 0; i < 5; i++) hi = (hi << 8) | (random[i] & 0xff);
    long lo = 0;
    for (int i = 5; i < 10; i++) lo = (lo << 8) | (random[i] & 0xff);
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return prefix + "_" + new String(out);
  }
}
