package dev.postflow.posts;

import dev.postflow.testsupport.KafkaTopics;
import java.time.Duration;

final class KafkaTopicsCount {
  private KafkaTopicsCount() {}

  /** True when the topic (read to its end within a few seconds) has no record mentioning the text. */
  static boolean none(String topic, String text) {
    try {
      KafkaTopics.await(topic, r -> r.value().contains(text), 1, Duration.ofSeconds(3));
      return false;
    } catch (AssertionError expected) {
      return true;
    }
  }
}
