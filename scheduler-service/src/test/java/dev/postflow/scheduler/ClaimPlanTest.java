package dev.postflow.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The claim as the JDBC driver runs it after a few executions: a server-side prepared statement, which PostgreSQL
 * may give a generic plan (one that does not look at the limit's value). With statistics taken while many posts
 * waited, the earlier form of the claim (the update joined to a CTE of the claimed ids) got a generic plan that
 * hashed the whole table on every claim: 90,000 rows read to hand over 50.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class ClaimPlanTest {
  private static final int WAITING = 90_000;
  private static final int LIMIT = 50;

  @Inject AgroalDataSource dataSource;

  @Test
  void theGenericPlanOfTheClaimReadsOnlyTheRowsItClaimsWhenTheStatisticsSayManyWait() throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
      connection.setAutoCommit(false);
      // A session's prepared statement outlives its transaction: deallocated below, on this pooled connection.
      sql.execute("prepare claim_under_test(int, text) as " + numbered(ScheduleRepository.CLAIM));
      try {
        // Uncommitted, so the running dispatcher never sees them; everything is rolled back at the end.
        sql.execute("""
            insert into scheduler.scheduled_post (post_id, schedule_version, due_at, updated_at)
            select 'claim-plan-' || lpad(n::text, 6, '0'), 1, clock_timestamp() - interval '1 hour' + n * interval '1 millisecond', now()
            from generate_series(1, %d) n""".formatted(WAITING));
        sql.execute("analyze scheduler.scheduled_post");
        sql.execute("set local plan_cache_mode = force_generic_plan");

        JsonNode plan = QueryPlans.explainAnalyze(sql, "execute claim_under_test(" + LIMIT + ", 'plan-test')");
        long read = QueryPlans.rowsRead(plan, "scheduled_post");
        assertTrue(read <= 10L * LIMIT, "the claim read " + read + " rows of scheduled_post to claim " + LIMIT + ": " + plan);

        // What it claimed: the oldest waiting posts (those the plan above claimed are claimed already), in due order.
        List<String> claimed = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("execute claim_under_test(" + LIMIT + ", 'plan-test')")) {
          while (rows.next()) claimed.add(rows.getString(1));
        }
        List<String> expected = new ArrayList<>();
        for (int n = LIMIT + 1; n <= 2 * LIMIT; n++) expected.add("claim-plan-%06d".formatted(n));
        assertEquals(expected, claimed);
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
        sql.execute("deallocate claim_under_test");
      }
    }
  }

  /** JDBC's {@code ?} placeholders as PREPARE's {@code $1, $2, …}. */
  private static String numbered(String jdbcSql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char c : jdbcSql.toCharArray()) {
      if (c == '?') out.append('$').append(++n);
      else out.append(c);
    }
    return out.toString();
  }
}
