package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.webhooks.signing.WebhookSigner;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  /** The Standard Webhooks specification's published test vector. */
  @Test
  void matchesTheStandardWebhooksTestVector() {
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
  }
}
