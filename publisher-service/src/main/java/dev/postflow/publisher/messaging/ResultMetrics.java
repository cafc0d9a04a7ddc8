package dev.postflow.publisher.messaging;

import dev.postflow.contract.PublishResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the publishers answer, per platform, for operators (Prometheus at /q/metrics):
 * {@code postflow_results_sent_total{platform, kind, outcome, category}} counts the results sent to posts-api (kind
 * publish, unpublish or edit; category the error's, "none" when there is none), and
 * {@code postflow_platform_call_seconds{platform, kind}} how long the platform took to answer (a histogram: success
 * rate, unconfirmed count and latency per platform come from these two). A repeated request answered with its stored
 * result counts again: these count answers, the ledger counts publishes. Each meter is registered once and kept here,
 * so a result costs a map lookup and an increment.
 */
@ApplicationScoped
public class ResultMetrics {
  @Inject MeterRegistry registry;

  private final Map<String, Counter> results = new ConcurrentHashMap<>();
  private final Map<String, Timer> calls = new ConcurrentHashMap<>();

  void record(String platform, String kind, PublishResult result) {
    String outcome = result.outcome().name();
    String category = result.error() == null || result.error().category() == null ? "none" : result.error().category();
    results.computeIfAbsent(platform + '|' + kind + '|' + outcome + '|' + category, key -> registry.counter("postflow.results.sent",
        "platform", platform, "kind", kind, "outcome", outcome, "category", category)).increment();
    calls.computeIfAbsent(platform + '|' + kind, key -> Timer.builder("postflow.platform.call")
            .description("time from the platform call to its answer, per result").tags("platform", platform, "kind", kind)
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(120))
            .register(registry))
        .record(Duration.ofMillis(Math.max(0, result.durationMs())));
  }
}
