package dev.postflow.testsupport;

import dev.postflow.contract.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts one real Kafka broker and one real PostgreSQL per test JVM and points the Quarkus app at them.
 * Use on every {@code @QuarkusTest} of a module with
 * {@code @QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)}.
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {
  private static KafkaBroker kafka;
  private static Postgres postgres;

  public static synchronized KafkaBroker kafka() {
    if (kafka == null) {
      kafka = KafkaBroker.start();
      kafka.createTopics(Topics.ALL, 4);
      KafkaBroker started = kafka;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return kafka;
  }

  public static synchronized Postgres postgres() {
    if (postgres == null) {
      postgres = Postgres.start();
      Postgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return postgres;
  }

  /** A plain JDBC connection to the test database, for fixtures of tables another service owns. */
  public static java.sql.Connection jdbc() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(postgres().jdbcUrl(), postgres().user(), postgres().password());
  }

  /** Configuration keys that point a service at the shared broker and database. */
  public static Map<String, String> config() {
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", kafka().bootstrapServers());
    config.put("quarkus.datasource.jdbc.url", postgres().jdbcUrl());
    config.put("quarkus.datasource.reactive.url", postgres().reactiveUrl());
    config.put("quarkus.datasource.username", postgres().user());
    config.put("quarkus.datasource.password", postgres().password());
    return config;
  }

  @Override
  public Map<String, String> start() {
    return config();
  }

  @Override
  public void stop() {
    // kept for the whole JVM: Quarkus may restart the app between test classes
  }
}
