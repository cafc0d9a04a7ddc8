package dev.postflow.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Ids;
import dev.postflow.contract.Retention;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.webhooks.delivery.EventRetention;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Events are kept for postflow.webhooks.retention (30 days), then deleted with their deliveries and attempts, in
 * chunks; an event with a delivery still pending stays.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class EventRetentionTest {
  @Inject EventRetention retention;

  @Test
  void eventsOlderThanTheRetentionAreDeletedWithTheirDeliveriesAndAttemptsInChunks() throws Exception {
    String run = Ids.newId("evt");
    int expired = 2 * Retention.CHUNK + 500;
    try (Connection connection = RealInfrastructure.jdbc(); Statement sql = connection.createStatement()) {
      sql.execute("""
          insert into webhooks.event (id, workspace_id, type, payload, created_at)
            select '%1$s_old_' || g, 'ws_retention', 'post.published', '{}', now() - interval '31 days' - g * interval '1 second'
              from generate_series(1, %2$d) g;
          insert into webhooks.event (id, workspace_id, type, payload, created_at) values
            ('%1$s_pending', 'ws_retention', 'post.published', '{}', now() - interval '40 days'),
            ('%1$s_recent', 'ws_retention', 'post.published', '{}', now() - interval '29 days');
          insert into webhooks.delivery (id, endpoint_id, event_id, status, attempts, next_attempt_at)
            select 'dlv_' || id, 'whe_retention', id, case when id like '%%_pending' then 'pending' else 'succeeded' end, 1,
                   now() + interval '1 day'  -- the pending one's next attempt is not due during the test
              from webhooks.event where id like '%1$s_%%';
          insert into webhooks.delivery_attempt (delivery_id, endpoint_id, attempt, attempted_at, status_code, duration_ms, success)
            select id, endpoint_id, 1, now(), 200, 5, true from webhooks.delivery where event_id like '%1$s_%%'""".formatted(run, expired));
    }

    assertTrue(retention.deleteExpired() >= expired);

    assertEquals(0, count("select count(*) from webhooks.event where id like '" + run + "_old_%'"));
    assertEquals(0, count("select count(*) from webhooks.delivery where event_id like '" + run + "_old_%'"));
    assertEquals(0, count("select count(*) from webhooks.delivery_attempt where delivery_id like 'dlv_" + run + "_old_%'"));
    assertEquals(2, count("select count(*) from webhooks.event where id in ('" + run + "_pending', '" + run + "_recent')"));
    assertEquals(2, count("select count(*) from webhooks.delivery_attempt where delivery_id in ('dlv_" + run + "_pending', 'dlv_" + run + "_recent')"));
  }

  /** The indexes the retention's chunks and their cascade use are there. */
  @Test
  void theRetentionsIndexesAreValid() throws Exception {
    assertEquals(2, count("select count(*) from pg_index where indisvalid and indexrelid in"
        + " ('webhooks.delivery_by_event'::regclass, 'webhooks.event_by_age'::regclass)"));
  }

  private static long count(String query) throws SQLException {
    try (Connection connection = RealInfrastructure.jdbc(); Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(query)) {
      row.next();
      return row.getLong(1);
    }
  }
}
