package dev.postflow.system;

import dev.postflow.testsupport.Ports;
import dev.postflow.testsupport.RealInfrastructure;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four packaged services (target/quarkus-app/quarkus-run.jar of each module) started as separate JVMs in their
 * production profile, on the test's real Kafka broker and PostgreSQL. Logs go to system-tests/target/service-logs.
 */
final class RunningServices implements AutoCloseable {
  static final String ADMIN_KEY = "system-test-admin-key";
  static final String ENCRYPTION_KEY = "c3lzdGVtLXRlc3QtZW5jcnlwdGlvbi1rZXktMzJieXQ=";

  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();

  private static RunningServices shared;

  /** One set of services for all system tests of this JVM, stopped with SIGTERM when the JVM exits. */
  static synchronized RunningServices shared() {
    if (shared == null) {
      long started = System.nanoTime();
      shared = start();
      System.out.printf("four services ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
      RunningServices services = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        System.out.println("resident memory (MiB): " + services.residentMemoryMiB());
        System.out.println("exit codes after SIGTERM: " + services.stop());
      }));
    }
    return shared;
  }

  private static RunningServices start() {
    RunningServices services = new RunningServices();
    for (String service : List.of("posts-api", "scheduler-service", "publisher-service", "webhook-service")) {
      services.ports.put(service, Ports.free());
    }
    try {
      services.ports.forEach((service, port) -> services.launch(service, port));
      services.ports.keySet().forEach(services::awaitReady);
    } catch (RuntimeException e) {
      services.close(); // a service that did not come up must not leave the others running after the tests
      throw e;
    }
    return services;
  }

  String url(String service) {
    return "http://127.0.0.1:" + ports.get(service);
  }

  String apiUrl() {
    return url("posts-api");
  }

  /** Resident memory of each service process, in MiB (from /proc). */
  Map<String, Long> residentMemoryMiB() {
    Map<String, Long> memory = new LinkedHashMap<>();
    processes.forEach((service, process) -> {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
          if (line.startsWith("VmRSS:")) memory.put(service, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
        }
      } catch (IOException e) {
        memory.put(service, -1L);
      }
    });
    return memory;
  }

  /** Another replica of a service, under its own name and port (e.g. a second scheduler-service). */
  void startReplica(String service, String name) {
    int port = Ports.free();
    ports.put(name, port);
    launch(service, name, port);
    awaitReady(name);
  }

  private void launch(String service, int port) {
    launch(service, service, port);
  }

  private void launch(String service, String name, int port) {
    Path root = Path.of(System.getProperty("postflow.repo.root", ".."));
    Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: build the services first (./mvnw verify builds them)");
    Map<String, String> infra = RealInfrastructure.config();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    infra.forEach((key, value) -> {
      boolean reactive = key.startsWith("quarkus.datasource.reactive");
      if (!reactive || service.equals("posts-api") || service.equals("publisher-service")) command.add("-D" + key + "=" + value);
    });
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dpostflow.scheduler.instance-id=" + name);
    command.add("-Dquarkus.http.host=127.0.0.1");
    command.add("-Dpostflow.encryption-key=" + ENCRYPTION_KEY);
    command.add("-Dpostflow.admin-key=" + ADMIN_KEY);
    command.add("-Dpostflow.outbound.allowed-cidrs=127.0.0.0/8,::1/128");
    command.add("-Dpostflow.webhooks.require-https=false");
    if (service.equals("webhook-service")) {
      command.add("-Dpostflow.webhooks.retry-schedule=1s,2s,3s");
      command.add("-Dpostflow.webhooks.timeout=3s");
    }
    command.add("-Dpostflow.public-base-url=http://127.0.0.1:" + ports.get("posts-api"));
    command.add("-Dpostflow.platforms.sandbox.base-url=http://127.0.0.1:" + ports.get("posts-api"));
    command.add("-Dquarkus.log.category.\"dev.postflow\".level=DEBUG");
    if (service.equals("publisher-service")) {
      // Every platform adapter talks to its protocol simulator (test-support), polling briskly.
      dev.postflow.testsupport.platforms.PlatformSimulators.start().forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("-Dpostflow.outbound.require-https=false");
      for (String platform : List.of("instagram", "threads", "linkedin", "pinterest", "tiktok", "mastodon")) {
        command.add("-Dpostflow.platforms." + platform + ".poll-interval=PT0.2S");
      }
      command.add("-Dpostflow.platforms.x.min-poll-interval=PT0.2S");
      // Short enough that the timeout_after_publish test finishes quickly; the sandbox holds its answer longer.
      // The annotation counts in seconds, so the override names value and unit (a bare value=2000 meant 2000 s).
      command.add("-Dquarkus.fault-tolerance.\"dev.postflow.publisher.platform.sandbox.SandboxPublisher/publish\".timeout.value=2");
      command.add("-Dquarkus.fault-tolerance.\"dev.postflow.publisher.platform.sandbox.SandboxPublisher/publish\".timeout.unit=seconds");
    }
    if (service.equals("posts-api")) {
      command.add("-Dpostflow.sandbox.lost-answer-delay-ms=6000");
      command.add("-Dpostflow.media.storage-dir=" + Path.of("target", "media-" + name).toAbsolutePath()); // not into the source tree
    }
    command.add("-jar");
    command.add(jar.toString());
    try {
      File logs = new File("target/service-logs");
      logs.mkdirs();
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs, name + ".log"))).start();
      processes.put(name, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(String service) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!processes.get(service).isAlive()) {
        throw new IllegalStateException(service + " exited; see system-tests/target/service-logs/" + service + ".log");
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        processes.get(service).waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS); // poll interval; returns early if it exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new IllegalStateException(service + " was not ready within 120 s");
  }

  /** SIGKILL: the process dies at once, whatever it was doing. */
  void kill(String service) throws InterruptedException {
    Process process = processes.get(service);
    process.destroyForcibly();
    process.waitFor();
  }

  /** Starts a killed service again on its port and waits until it is ready. */
  void restart(String service) {
    launch(service, ports.get(service));
    awaitReady(service);
  }

  /** Forgets a killed replica (it is not stopped again at the end). */
  void forget(String name) {
    processes.remove(name);
    ports.remove(name);
  }

  /** SIGTERM, as Kubernetes does; the services shut down gracefully. Returns each exit code. */
  Map<String, Integer> stop() {
    Map<String, Integer> exits = new LinkedHashMap<>();
    processes.values().forEach(Process::destroy);
    processes.forEach((service, process) -> {
      try {
        if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        exits.put(service, process.exitValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return exits;
  }

  @Override
  public void close() {
    processes.values().forEach(p -> {
      if (p.isAlive()) p.destroyForcibly();
    });
  }
}
