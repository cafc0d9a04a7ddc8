package dev.postflow.posts.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postflow.testsupport.QueryPlans;
import dev.postflow.testsupport.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The relay's take statement after an outage: thousands of rows wait in the outbox, whose statistics say it is
 * empty (it is emptied every few milliseconds and vacuumed often). For that estimate PostgreSQL planned the earlier
 * {@code id in (select … limit)} as a nested loop that ran the sub-select once per row: 2.4 million rows read for a
 * 5,000-row backlog.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class OutboxRelayTest {
  private static final int BACKLOG = 5_000;

  @Inject AgroalDataSource dataSource;

  @Test
  void aBacklogIsTakenOldestFirstReadingEachRowOnceWhenTheStatisticsSayEmpty() throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
      // The statistics an emptied outbox has: pages on disk, no rows in them (rows inserted by a rolled-back
      // transaction take the pages; VACUUM without truncation counts the live rows: none, or the few in flight).
      connection.setAutoCommit(false);
      insertBacklog(sql);
      connection.rollback();
      connection.setAutoCommit(true);
      sql.execute("vacuum (truncate false) posts.outbox_message");
      connection.setAutoCommit(false);
      try {
        // Uncommitted: the running relay never sees these rows; everything is rolled back at the end.
        insertBacklog(sql);
        long tableRows = countOf(sql);
        long firstLeft; // the 501st of the backlog: the first row the take must leave when nothing else waits
        try (ResultSet row = sql.executeQuery("select id from posts.outbox_message where topic = 'postflow.test' order by id offset 500 limit 1")) {
          row.next();
          firstLeft = row.getLong(1);
        }
        holdRelayLock(sql); // the take's own try-lock then succeeds even while the running relay is mid-batch
        JsonNode plan = QueryPlans.explainAnalyze(sql, OutboxRelay.TAKE);
        long read = QueryPlans.rowsRead(plan, "outbox_message");
        assertTrue(read <= 2 * tableRows, "the take statement read " + read + " outbox rows for a table of " + tableRows + ": " + plan);

        // The taken rows are the oldest 500 (committed rows waiting ahead of ours, if any, go first).
        assertEquals(500, tableRows - countOf(sql));
        if (tableRows == BACKLOG) {
          try (ResultSet row = sql.executeQuery("select min(id) from posts.outbox_message where topic = 'postflow.test'")) {
            row.next();
            assertEquals(firstLeft, row.getLong(1));
          }
        }
      } finally {
        connection.rollback();
      }
    }
  }

  @Test
  void whileAnotherRelayHoldsTheLockTheTakeDeletesNothing() throws Exception {
    try (Connection other = dataSource.getConnection(); Statement otherSql = other.createStatement();
        Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
      other.setAutoCommit(false);
      connection.setAutoCommit(false);
      try {
        holdRelayLock(otherSql);
        insertBacklog(sql); // uncommitted: only this transaction sees them
        long before = countOf(sql);
        try (ResultSet taken = sql.executeQuery(OutboxRelay.TAKE)) {
          assertFalse(taken.next(), "the take returned rows while another relay held the lock");
        }
        assertEquals(before, countOf(sql));
      } finally {
        connection.rollback();
        other.rollback();
      }
    }
  }

  /**
   * Kafka batches and group inserts write one row for all their messages. The take goes on to the row that brings the
   * batch to {@value OutboxRelay#MESSAGES} messages, so a batch holds whole rows and ends near that size; the rows come
   * back with their messages in the order they were written.
   */
  @Test
  void batchRowsAreTakenWholeUpToTheRowThatFillsTheBatch() throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
      connection.setAutoCommit(false);
      try {
        holdRelayLock(sql); // the running relay finishes its batch first and then takes nothing until the rollback
        long waiting = countOf(sql); // committed rows no relay took yet (normally none)
        sql.execute("""
            insert into posts.outbox_message (batch, message_count)
            select array(select e from generate_series(0, 599) j,
                                unnest(array['postflow.test', 'k' || (r * 600 + j), repeat('p', 800), null]) with ordinality u(e, o)
                          order by j, o), 600
              from generate_series(0, 9) r order by r""");
        int rows = 0;
        java.util.TreeMap<Long, String[]> batches = new java.util.TreeMap<>(); // "returning" has no order: by id, as the relay sends
        try (ResultSet taken = sql.executeQuery(OutboxRelay.TAKE)) {
          while (taken.next()) {
            rows++;
            java.sql.Array batch = taken.getArray("batch");
            if (batch != null) batches.put(taken.getLong("id"), (String[]) batch.getArray());
          }
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String[] elements : batches.values()) {
          assertEquals(0, elements.length % 4);
          for (int i = 0; i < elements.length; i += 4) {
            assertEquals("postflow.test", elements[i]);
            keys.add(elements[i + 1]);
          }
        }
        if (waiting == 0) {
          // 600, 1,200, 1,800, 2,400 messages: the fourth row fills the batch; six rows of 600 stay.
          assertEquals(4, rows);
          assertEquals(6, countOf(sql));
          assertEquals(2_400, keys.size());
          for (int i = 0; i < keys.size(); i++) assertEquals("k" + i, keys.get(i));
        }
      } finally {
        connection.rollback();
      }
    }
  }

  /** Waits for the relay's advisory lock and holds it until the transaction ends, as a relay in its batch does. */
  private static void holdRelayLock(Statement sql) throws Exception {
    sql.execute("select pg_advisory_xact_lock(" + OutboxRelay.ADVISORY_LOCK + ")");
  }

  /** {@value #BACKLOG} rows of the size of a lifecycle event, on a topic nothing else writes. */
  private static void insertBacklog(Statement sql) throws Exception {
    sql.execute("""
        insert into posts.outbox_message (topic, message_key, payload)
        select 'postflow.test', 'k' || n, repeat('p', 1500) from generate_series(1, %d) n""".formatted(BACKLOG));
  }

  private static long countOf(Statement sql) throws Exception {
    try (ResultSet row = sql.executeQuery("select count(*) from posts.outbox_message")) {
      row.next();
      return row.getLong(1);
    }
  }
}
