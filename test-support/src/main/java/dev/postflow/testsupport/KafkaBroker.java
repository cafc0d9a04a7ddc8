package dev.postflow.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) inside the test JVM.
 * The only place that touches Kafka's internal server classes.
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dir;

  private KafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dir = dir;
  }

  public static KafkaBroker start() {
    try {
      int port = Ports.free();
      int controllerPort = Ports.free();
      Path dir = Files.createTempDirectory("postflow-kafka");
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("controller.listener.names", "CONTROLLER");
      props.put("log.dirs", dir.resolve("data").toString());
      props.put("num.partitions", "4");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "4");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("log.flush.interval.messages", "100000");
      Path config = dir.resolve("server.properties");
      try (Writer writer = Files.newBufferedWriter(config)) {
        props.store(writer, "postflow test broker");
      }
      ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
      int rc = kafka.tools.StorageTool.execute(
          new String[] {"format", "--config", config.toString(), "--cluster-id", Uuid.randomUuid().toString()},
          new PrintStream(formatOutput));
      if (rc != 0) throw new IllegalStateException("kafka storage format failed: " + formatOutput);
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      KafkaBroker broker = new KafkaBroker(server, "127.0.0.1:" + port, dir);
      broker.awaitReady();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public void createTopics(Collection<String> names, int partitions) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (String name : names) {
        try {
          admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw new IllegalStateException("creating topic " + name, e);
        }
      }
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("kafka broker did not start", e);
        }
      }
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    Files2.deleteQuietly(dir);
  }
}
