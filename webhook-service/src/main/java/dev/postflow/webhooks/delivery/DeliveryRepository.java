package dev.postflow.webhooks.delivery;

import dev.postflow.contract.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/** SQL for events, deliveries and attempts, and the read of posts-api's webhook endpoints (read-only but for disabling). */
final class DeliveryRepository {
  private DeliveryRepository() {}

  record Endpoint(String id, String events, boolean enabled) {}

  /** A leased delivery with what is needed to send it. endpointStatus is null when the endpoint was deleted. */
  record Claimed(String id, String endpointId, String eventId, String payload, int attempt, boolean retries, String endpointStatus,
      String url, String secret, String previousSecret, Instant previousSecretExpiresAt, Instant enabledAt) {}

  /** Every endpoint of these workspaces, enabled or not, by workspace (workspaces without endpoints are left out). */
  static Map<String, List<Endpoint>> endpointsOf(Connection connection, List<String> workspaceIds) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "select workspace_id, id, events, status = 'enabled' from posts.webhook_endpoint where workspace_id = any(?) order by workspace_id, id")) {
      select.setArray(1, connection.createArrayOf("text", workspaceIds.toArray()));
      Map<String, List<Endpoint>> endpoints = new java.util.HashMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          endpoints.computeIfAbsent(rows.getString(1), w -> new ArrayList<>()).add(new Endpoint(rows.getString(2), rows.getString(3), rows.getBoolean(4)));
        }
      }
      return endpoints;
    }
  }

  static Endpoint endpoint(Connection connection, String workspaceId, String endpointId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "select id, events from posts.webhook_endpoint where id = ? and workspace_id = ? and status = 'enabled'")) {
      select.setString(1, endpointId);
      select.setString(2, workspaceId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? new Endpoint(rows.getString(1), rows.getString(2), true) : null;
      }
    }
  }

  /** Stores an event once; false when it was stored before (a redelivered Kafka record). */
  static boolean insertEvent(Connection connection, String eventId, String workspaceId, String type, String payload) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "insert into webhooks.event (id, workspace_id, type, payload) values (?, ?, ?, ?) on conflict (id) do nothing")) {
      insert.setString(1, eventId);
      insert.setString(2, workspaceId);
      insert.setString(3, type);
      insert.setString(4, payload);
      return insert.executeUpdate() == 1;
    }
  }

  /** One delivery per endpoint and event: a redelivered event adds nothing. */
  static boolean insertDelivery(Connection connection, String endpointId, String eventId, boolean retries) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        insert into webhooks.delivery (id, endpoint_id, event_id, status, retries)
        values (?, ?, ?, 'pending', ?) on conflict (endpoint_id, event_id) do nothing""")) {
      insert.setString(1, Ids.newId("del"));
      insert.setString(2, endpointId);
      insert.setString(3, eventId);
      insert.setBoolean(4, retries);
      return insert.executeUpdate() == 1;
    }
  }

  /** One delivery per endpoint for an event, in one statement; returns how many were new. */
  static int insertDeliveries(Connection connection, List<String> endpointIds, String eventId) throws SQLException {
    if (endpointIds.isEmpty()) return 0;
    String[] ids = new String[endpointIds.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = Ids.newId("del");
    try (PreparedStatement insert = connection.prepareStatement("""
        insert into webhooks.delivery (id, endpoint_id, event_id, status, retries)
        select d.id, d.endpoint_id, ?, 'pending', true from unnest(?::text[], ?::text[]) as d (id, endpoint_id)
        on conflict (endpoint_id, event_id) do nothing""")) {
      insert.setString(1, eventId);
      insert.setArray(2, connection.createArrayOf("text", ids));
      insert.setArray(3, connection.createArrayOf("text", endpointIds.toArray()));
      return insert.executeUpdate();
    }
  }

  record StoredEvent(String id, String type) {}

  static List<StoredEvent> eventsSince(Connection connection, String workspaceId, Instant since) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "select id, type from webhooks.event where workspace_id = ? and created_at >= ? and type <> 'webhook.test' order by created_at")) {
      select.setString(1, workspaceId);
      select.setTimestamp(2, Timestamp.from(since));
      List<StoredEvent> events = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) events.add(new StoredEvent(rows.getString(1), rows.getString(2)));
      }
      return events;
    }
  }

  /** The event of one of the endpoint's deliveries, or null. */
  static String eventOf(Connection connection, String endpointId, String deliveryId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("select event_id from webhooks.delivery where id = ? and endpoint_id = ?")) {
      select.setString(1, deliveryId);
      select.setString(2, endpointId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  /** Sends a delivery again now, once (no automatic retries after a manual replay), unless it is already pending. */
  static int replay(Connection connection, String endpointId, String eventId, boolean onlyFailed) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("""
        update webhooks.delivery set status = 'pending', retries = false, next_attempt_at = clock_timestamp()
         where endpoint_id = ? and event_id = ? and status <> 'pending' and (status = 'failed' or not ?)""")) {
      update.setString(1, endpointId);
      update.setString(2, eventId);
      update.setBoolean(3, onlyFailed);
      return update.executeUpdate();
    }
  }

  /**
   * Takes up to {@code limit} due deliveries, no more of one endpoint than it has room for ({@code perEndpoint} minus
   * its deliveries in flight here, so none of a busy one), and leases them: their next attempt moves past the lease,
   * so if this process dies they are tried again instead of being lost. The clock is read once (a sub-select), so the
   * index on next_attempt_at bounds the scan.
   */
  static List<Claimed> claimDue(Connection connection, long leaseSeconds, Map<String, Integer> inFlight, int perEndpoint, int limit)
      throws SQLException {
    List<String> flying = List.copyOf(inFlight.keySet());
    try (PreparedStatement claim = connection.prepareStatement("""
        with flying as (select * from unnest(?::text[], ?::int[]) as f(endpoint_id, in_flight)),
        candidates as (
          select id, endpoint_id, next_attempt_at from webhooks.delivery
           where status = 'pending' and next_attempt_at <= (select clock_timestamp())
             and endpoint_id <> all (array(select endpoint_id from flying where in_flight >= ?))
           order by next_attempt_at limit ? for update skip locked),
        chosen as (
          select id from (select c.id, c.next_attempt_at, coalesce(f.in_flight, 0) as in_flight,
                                 row_number() over (partition by c.endpoint_id order by c.next_attempt_at) as n
                            from candidates c left join flying f using (endpoint_id)) ranked
           where n + in_flight <= ? order by next_attempt_at limit ?),
        claimed as (
          update webhooks.delivery d
             set attempts = attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => ?)
            from chosen where d.id = chosen.id
          returning d.id, d.endpoint_id, d.event_id, d.attempts, d.retries)
        select c.id, c.endpoint_id, c.event_id, e.payload, c.attempts, c.retries, w.status, w.url, w.secret, w.previous_secret,
               w.previous_secret_expires_at, w.enabled_at
          from claimed c join webhooks.event e on e.id = c.event_id left join posts.webhook_endpoint w on w.id = c.endpoint_id""")) {
      claim.setArray(1, connection.createArrayOf("text", flying.toArray()));
      claim.setArray(2, connection.createArrayOf("int4", flying.stream().map(inFlight::get).toArray()));
      claim.setInt(3, perEndpoint);
      claim.setInt(4, limit * 4);
      claim.setInt(5, perEndpoint);
      claim.setInt(6, limit);
      claim.setLong(7, leaseSeconds);
      List<Claimed> claimed = new ArrayList<>();
      try (ResultSet row = claim.executeQuery()) {
        while (row.next()) {
          claimed.add(new Claimed(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getInt(5), row.getBoolean(6),
              row.getString(7), row.getString(8), row.getString(9), row.getString(10), instant(row.getTimestamp(11)),
              instant(row.getTimestamp(12))));
        }
      }
      return claimed;
    }
  }

  /** The outcome of one attempt: status is the delivery's next status, nextAttemptAt set when it stays pending. */
  record Attempt(Claimed delivery, Instant attemptedAt, Integer statusCode, long durationMs, String responseBody, boolean success,
      String error, String status, Instant nextAttemptAt) {}

  /**
   * Records a batch of attempts in one transaction: the attempt log, each delivery's next status, and each endpoint's
   * health (the last attempt of an endpoint in the batch decides: success clears failing_since, failure sets it if unset).
   * Successes of endpoints in {@code knownHealthy} (recorded healthy a moment ago) skip the health write.
   * Returns since when each endpoint of the batch whose last attempt failed has been failing.
   */
  static Map<String, Instant> recordAttempts(Connection connection, List<Attempt> attempts, java.util.Set<String> knownHealthy)
      throws SQLException {
    Map<String, Attempt> lastPerEndpoint = new LinkedHashMap<>();
    try (PreparedStatement log = connection.prepareStatement("""
            insert into webhooks.delivery_attempt (delivery_id, endpoint_id, attempt, attempted_at, status_code, duration_ms,
                                                   response_body, success, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        PreparedStatement move = connection.prepareStatement(
            "update webhooks.delivery set status = ?, next_attempt_at = coalesce(?, next_attempt_at) where id = ?")) {
      for (Attempt a : attempts) {
        int i = 1;
        log.setString(i++, a.delivery().id());
        log.setString(i++, a.delivery().endpointId());
        log.setInt(i++, a.delivery().attempt());
        log.setTimestamp(i++, Timestamp.from(a.attemptedAt()));
        if (a.statusCode() == null) log.setNull(i++, Types.INTEGER); else log.setInt(i++, a.statusCode());
        log.setLong(i++, a.durationMs());
        log.setString(i++, a.responseBody());
        log.setBoolean(i++, a.success());
        log.setString(i, a.error());
        log.addBatch();
        move.setString(1, a.status());
        move.setTimestamp(2, a.nextAttemptAt() == null ? null : Timestamp.from(a.nextAttemptAt()));
        move.setString(3, a.delivery().id());
        move.addBatch();
        lastPerEndpoint.put(a.delivery().endpointId(), a);
      }
      log.executeBatch();
      move.executeBatch();
    }
    Map<String, Instant> failingSince = new HashMap<>();
    try (PreparedStatement health = connection.prepareStatement("""
        insert into webhooks.endpoint_health as h (endpoint_id, failing_since, last_success_at)
        values (?, case when ? then null else clock_timestamp() end, case when ? then clock_timestamp() end)
        on conflict (endpoint_id) do update
          set failing_since = case when excluded.last_success_at is not null then null else coalesce(h.failing_since, excluded.failing_since) end,
              last_success_at = coalesce(excluded.last_success_at, h.last_success_at)
        returning endpoint_id, failing_since""")) {
      for (Attempt a : lastPerEndpoint.values()) {
        if (a.success() && knownHealthy.contains(a.delivery().endpointId())) continue; // nothing to change
        health.setString(1, a.delivery().endpointId());
        health.setBoolean(2, a.success());
        health.setBoolean(3, a.success());
        try (ResultSet row = health.executeQuery()) {
          if (row.next() && row.getTimestamp(2) != null) failingSince.put(row.getString(1), row.getTimestamp(2).toInstant());
        }
      }
    }
    return failingSince;
  }

  /** A delivery whose endpoint is gone or disabled ends without an attempt; a replay can send it later. */
  static void finishUnsent(Connection connection, String deliveryId) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("update webhooks.delivery set status = 'failed' where id = ?")) {
      update.setString(1, deliveryId);
      update.executeUpdate();
    }
  }

  record DisabledEndpoint(String workspaceId, String url, String events, String description) {}

  /** The one write to posts-api's table: webhook-service disables an endpoint (410 Gone, or failing for days). */
  static DisabledEndpoint disable(Connection connection, String endpointId, String reason) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("""
        update posts.webhook_endpoint set status = 'disabled', disabled_reason = ?, updated_at = now()
         where id = ? and status = 'enabled' returning workspace_id, url, events, description""")) {
      update.setString(1, reason);
      update.setString(2, endpointId);
      try (ResultSet row = update.executeQuery()) {
        return row.next() ? new DisabledEndpoint(row.getString(1), row.getString(2), row.getString(3), row.getString(4)) : null;
      }
    }
  }

  /** Milliseconds until the next pending delivery is due, or -1 when none is pending. */
  static long millisUntilNextDue(Connection connection) throws SQLException {
    try (PreparedStatement next = connection.prepareStatement(
        "select ceil(extract(epoch from (min(next_attempt_at) - clock_timestamp())) * 1000) from webhooks.delivery where status = 'pending'");
        ResultSet row = next.executeQuery()) {
      row.next();
      double millis = row.getDouble(1);
      return row.wasNull() ? -1 : Math.max(0, (long) millis);
    }
  }

  /**
   * The events' retention ({@link dev.postflow.contract.Retention}): up to the second parameter's number of events
   * older than the first, oldest first, with nothing pending; their deliveries and attempts go with them (cascade).
   */
  static final String DELETE_EXPIRED_EVENTS = """
      delete from webhooks.event where id = any (array(
        select e.id from webhooks.event e where e.created_at < ?
           and not exists (select 1 from webhooks.delivery d where d.event_id = e.id and d.status = 'pending')
         order by e.created_at limit ?))""";

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
