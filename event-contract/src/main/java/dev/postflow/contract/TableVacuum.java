package dev.postflow.contract;

import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * VACUUM of a queue-like table every {@code every} changed rows, on a thread of its own so the worker that changes the
 * rows never waits for it. Queue tables (the outbox, scheduled posts) delete or update rows within moments of writing
 * them; between autovacuum rounds the dead entries pile up exactly where the next claim starts reading (measured:
 * 1.2-1.7 ms per claim at 500 posts/s, 0.2 ms with this). At most one vacuum runs at a time; rows changed meanwhile
 * count towards the next one.
 *
 * <p>Always {@code truncate false}: a queue table refills the pages it just emptied, and VACUUM's truncation takes an
 * exclusive lock on the table, which it may wait for and then hold while every writer of the table waits (measured on
 * the outbox during 20,000 posts due at once: 317 ms per vacuum with truncation, 11 ms without).
 *
 * <p>Run as {@link ShortWork} allowed {@link #MAY_TAKE} besides the answer timeout: a vacuum that long unanswered means
 * the database's host is gone (without a bound, one sent just after that waits about 15 minutes for the kernel to give
 * up retransmitting it, holding a pool connection). It is then skipped; the next one starts after {@code every} more rows.
 */
public final class TableVacuum implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TableVacuum.class.getName());

  /** A vacuum of a queue table takes milliseconds; one that has not answered in this long (plus the answer timeout) is given up. */
  static final Duration MAY_TAKE = Duration.ofMinutes(5);

  private final String statement;
  private final int every;
  private final ShortWork shortWork;
  private final AtomicInteger changedSinceVacuum = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final ExecutorService thread;

  /** {@code options}: VACUUM's options besides {@code truncate false}, e.g. {@code "skip_locked, index_cleanup on"}. */
  public TableVacuum(String table, String options, int every, ShortWork shortWork) {
    this.statement = "vacuum (" + options + ", truncate false) " + table;
    this.every = every;
    this.shortWork = shortWork;
    this.thread = Executors.newSingleThreadExecutor(runnable -> {
      Thread vacuum = new Thread(runnable, "vacuum " + table);
      vacuum.setDaemon(true);
      return vacuum;
    });
  }

  /** While its worker has a backlog, a vacuum waits for it to clear, until this many times {@code every} rows changed. */
  static final int BACKLOG_DEFERS_UP_TO = 4;

  /** Counts changed rows; starts a vacuum once {@code every} have changed since the last one. */
  public void changed(int rows) {
    changed(rows, false);
  }

  /**
   * Counts changed rows. {@code backlog}: the worker has more to do at once (its batch was full). A vacuum then waits
   * until the backlog is done, up to {@link #BACKLOG_DEFERS_UP_TO} times {@code every} rows. A vacuum reads all of the
   * table's indexes whatever it removes (237 ms of the database's time with 1.7 million posts waiting): 20,000 posts
   * due at once paid for two, one while their claims still ran, and pay for one once they are done. Meanwhile the
   * claims step over more dead entries, which the index scans mark as dead when they first pass them.
   */
  public void changed(int rows, boolean backlog) {
    if (!due(changedSinceVacuum.addAndGet(rows), every, backlog) || !running.compareAndSet(false, true)) return;
    changedSinceVacuum.set(0);
    thread.execute(() -> {
      try {
        shortWork.run(MAY_TAKE, connection -> {
          connection.setAutoCommit(true); // VACUUM cannot run inside a transaction
          try (Statement vacuum = connection.createStatement()) {
            return vacuum.execute(statement);
          }
        });
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, statement + " skipped: " + e.getMessage());
      } finally {
        running.set(false);
      }
    });
  }

  /** Whether a vacuum is due after {@code changed} rows: at {@code every}, or while a backlog lasts at a multiple of it. */
  static boolean due(int changed, int every, boolean backlog) {
    return changed >= (backlog ? BACKLOG_DEFERS_UP_TO * every : every);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
