package dev.postflow.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads the service under test's Prometheus metrics (/q/metrics), as an operator's scraper would. */
public final class PrometheusMetrics {
  private PrometheusMetrics() {}

  /**
   * The sum of the samples of {@code name} whose labels include each of {@code labels} (given as {@code key=value});
   * 0 when there is none yet.
   */
  public static double value(String name, String... labels) {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    String text;
    try {
      text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException("reading /q/metrics", e);
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
      boolean matches = true;
      for (String label : labels) {
        String[] pair = label.split("=", 2);
        matches &= line.contains(pair[0] + "=\"" + pair[1] + "\"");
      }
      if (matches) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }
}
