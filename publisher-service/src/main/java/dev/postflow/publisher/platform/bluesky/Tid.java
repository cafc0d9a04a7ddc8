package dev.postflow.publisher.platform.bluesky;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** An AT Protocol TID (timestamp identifier): 13 base32-sortable characters, used as a record key we choose. */
final class Tid {
  private static final String ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tid() {}

  static String next() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    long value = (micros << 10) | RANDOM.nextInt(1024);
    value &= Long.MAX_VALUE; // the top bit is always 0
    char[] out = new char[13];
    for (int i = 12; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (value & 31));
      value >>>= 5;
    }
    return new String(out);
  }
}
