// The bar, measured on this machine: db-scheduler (kagkarlsson/db-scheduler) with a handler that does
// nothing, on the same PostgreSQL. Run by deploy/bench/run-db-scheduler, which builds the class path:
//
//   burst  JDBC_URL USER PASSWORD THREADS ROUNDS COUNT        COUNT executions due at one instant, ROUNDS times in
//                                                             one JVM (the first while the JIT compiles)
//   steady JDBC_URL USER PASSWORD THREADS ROUNDS RATE SECONDS RATE executions due per second for SECONDS
//
// Lock-and-fetch polling (one statement claims a batch: lower limit 0.5, upper 4 × THREADS), polling every 100 ms,
// the table from db-scheduler's postgresql_tables.sql. Lateness is the handler's start minus the execution time, on
// the JVM's clock (db-scheduler compares execution times with the JVM's clock, so it cannot be early by that clock).
// "done" is when the table is empty: every execution's completion (its delete) committed.
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

public class DbSchedulerBench {
  static final long LEAD_MICROS = 3_000_000; // executions are inserted this far ahead of their time
  static volatile long[] lateness = new long[0]; // micros, one per handler run
  static final AtomicInteger started = new AtomicInteger(); // slots handed out
  static final AtomicInteger ran = new AtomicInteger(); // slots written: counted after the write, so it is visible

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int threads = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[1]);
    config.setUsername(args[2]);
    config.setPassword(args[3]);
    config.setMaximumPoolSize(threads + 4);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      createTable(dataSource);
      OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> {
        long now = micros(Instant.now());
        lateness[started.getAndIncrement()] = now - micros(context.getExecution().executionTime);
        ran.incrementAndGet();
      });
      Scheduler scheduler = Scheduler.create(dataSource, noop)
          .threads(threads)
          .pollingInterval(Duration.ofMillis(100))
          .pollUsingLockAndFetch(0.5, 4.0)
          .build();
      scheduler.start();
      try {
        for (int round = 1; round <= rounds; round++) {
          if (mode.equals("burst")) burst(dataSource, round, Integer.parseInt(args[6]));
          else steady(dataSource, round, Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        }
      } finally {
        scheduler.stop();
      }
    }
  }

  static void burst(DataSource dataSource, int round, int count) throws Exception {
    long due = micros(Instant.now()) + LEAD_MICROS;
    long[] times = new long[count];
    Arrays.fill(times, due);
    Result result = run(dataSource, times);
    double seconds = result.max() / 1e3; // all are due at once: the last start is the largest lateness
    System.out.printf("burst %d: %d executions due at once, due -> last handler start %.0f ms (%.0f executions/s), "
            + "due -> table empty %.0f ms; lateness ms p50 %.1f p99 %.1f max %.1f, early %d%n",
        round, count, seconds * 1000, count / seconds, (result.empty - due) / 1e3,
        result.percentile(0.50), result.percentile(0.99), result.max(), result.early());
  }

  static void steady(DataSource dataSource, int round, int rate, int seconds) throws Exception {
    long start = micros(Instant.now()) + LEAD_MICROS;
    long[] times = new long[rate * seconds];
    for (int i = 0; i < times.length; i++) times[i] = start + i * 1_000_000L / rate;
    Result result = run(dataSource, times);
    System.out.printf("steady %d: %d due/s for %d s, lateness ms p50 %.1f p99 %.1f p99.9 %.1f max %.1f, early %d%n",
        round, rate, seconds, result.percentile(0.50), result.percentile(0.99), result.percentile(0.999), result.max(),
        result.early());
  }

  /** Inserts one execution per time (before the first is due), waits until all ran and the table is empty. */
  static Result run(DataSource dataSource, long[] times) throws Exception {
    lateness = new long[times.length];
    started.set(0);
    ran.set(0);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement("""
            insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)
            select 'noop', 'i' || n, t, false, 1 from unnest(?::timestamptz[]) with ordinality as x (t, n)""")) {
      try (Statement truncate = connection.createStatement()) {
        truncate.execute("truncate scheduled_tasks");
      }
      Timestamp[] stamps = new Timestamp[times.length];
      for (int i = 0; i < times.length; i++) stamps[i] = Timestamp.from(Instant.EPOCH.plus(times[i], ChronoUnit.MICROS));
      insert.setArray(1, connection.createArrayOf("timestamptz", stamps));
      insert.executeUpdate();
      try (Statement analyze = connection.createStatement()) {
        analyze.execute("analyze scheduled_tasks");
      }
    }
    if (micros(Instant.now()) >= times[0]) throw new IllegalStateException("inserting took longer than the lead");
    long deadline = times[times.length - 1] + 300_000_000L;
    long empty = 0;
    while (micros(Instant.now()) < deadline) {
      if (ran.get() >= times.length && remaining(dataSource) == 0) {
        empty = micros(Instant.now());
        break;
      }
      Thread.sleep(5); // polls the counter; the measured times come from the handler, not from this loop
    }
    if (empty == 0) throw new IllegalStateException("only " + ran.get() + " of " + times.length + " ran in time");
    long[] sorted = Arrays.copyOf(lateness, times.length);
    Arrays.sort(sorted);
    return new Result(sorted, empty);
  }

  record Result(long[] sorted, long empty) {
    double percentile(double p) {
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e3;
    }

    double max() {
      return sorted[sorted.length - 1] / 1e3;
    }

    long early() {
      return Arrays.stream(sorted).filter(l -> l < 0).count();
    }
  }

  static int remaining(DataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from scheduled_tasks")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  static void createTable(DataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("""
          create table if not exists scheduled_tasks (
            task_name text not null,
            task_instance text not null,
            task_data bytea,
            execution_time timestamp with time zone not null,
            picked boolean not null,
            picked_by text,
            last_success timestamp with time zone,
            last_failure timestamp with time zone,
            consecutive_failures int,
            last_heartbeat timestamp with time zone,
            version bigint not null,
            priority smallint,
            primary key (task_name, task_instance))""");
      statement.execute("create index if not exists execution_time_idx on scheduled_tasks (execution_time)");
      statement.execute("create index if not exists last_heartbeat_idx on scheduled_tasks (last_heartbeat)");
      statement.execute("create index if not exists priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");
    }
  }

  static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }
}
