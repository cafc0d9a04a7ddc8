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
import java.util.Collection;
import java.util.List;

/** SQL for events, deliveries and attempts, and the read of posts-api's webhook endpoints (read-only but for disabling). */
final class DeliveryRepository {
  private DeliveryRepository() {}

  record Endpoint(String id, String events) {}

  /** A leased delivery with what is needed to send it. endpointStatus is null when the endpoint was deleted. */
  record Claimed(String id, String endpointId, String eventId, String payload, int attempt, boolean retries, String endpointStatus,
      String url, String secret, String previousSecret, Instant previousSecretExpiresAt, Instant enabledAt) {}

  static List<Endpoint> enabledEndpoints(Connection connection, String workspaceId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "select id, events from posts.webhook_endpoint where workspace_id = ? and status = 'enabled'")) {
      select.setString(1, workspaceId);
      List<Endpoint> endpoints = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) endpoints.add(new Endpoint(rows.getString(1), rows.getString(2)));
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
        return rows.next() ? new Endpoint(rows.getString(1), rows.getString(2)) : null;
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
   * Takes the next due delivery, skipping endpoints that already have their share of senders, and leases it: its
   * next attempt moves past the lease, so if this sender dies the delivery is tried again instead of being lost.
   */
  static Claimed claimNext(Connection connection, long leaseSeconds, Collection<String> busyEndpoints) throws SQLException {
    try (PreparedStatement claim = connection.prepareStatement("""
        with claimed as (
          update webhooks.delivery d
             set attempts = attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => ?)
           where id = (select id from webhooks.delivery
                        where status = 'pending' and next_attempt_at <= clock_timestamp() and endpoint_id <> all (?)
                        order by next_attempt_at limit 1 for update skip locked)
          returning id, endpoint_id, event_id, attempts, retries)
        select c.id, c.endpoint_id, c.event_id, e.payload, c.attempts, c.retries, w.status, w.url, w.secret, w.previous_secret,
               w.previous_secret_expires_at, w.enabled_at
          from claimed c join webhooks.event e on e.id = c.event_id left join posts.webhook_endpoint w on w.id = c.endpoint_id""")) {
      claim.setLong(1, leaseSeconds);
      claim.setArray(2, connection.createArrayOf("text", busyEndpoints.toArray()));
      try (ResultSet row = claim.executeQuery()) {
        if (!row.next()) return null;
        return new Claimed(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getInt(5), row.getBoolean(6),
            row.getString(7), row.getString(8), row.getString(9), row.getString(10), instant(row.getTimestamp(11)),
            instant(row.getTimestamp(12)));
      }
    }
  }

  /**
   * Records one attempt, moves the delivery on (status, next attempt) and the endpoint's health, in one statement.
   * Returns since when the endpoint has been failing (null after a success).
   */
  static Instant recordAttempt(Connection connection, Claimed delivery, Instant attemptedAt, Integer statusCode, long durationMs,
      String responseBody, boolean success, String error, String status, Instant nextAttemptAt) throws SQLException {
    try (PreparedStatement record = connection.prepareStatement("""
        with attempt as (
          insert into webhooks.delivery_attempt (delivery_id, endpoint_id, attempt, attempted_at, status_code, duration_ms,
                                                 response_body, success, error)
          values (?, ?, ?, ?, ?, ?, ?, ?, ?)),
        health as (
          insert into webhooks.endpoint_health as h (endpoint_id, failing_since, last_success_at)
          values (?, case when ? then null else clock_timestamp() end, case when ? then clock_timestamp() end)
          on conflict (endpoint_id) do update
            set failing_since = case when excluded.last_success_at is not null then null else coalesce(h.failing_since, excluded.failing_since) end,
                last_success_at = coalesce(excluded.last_success_at, h.last_success_at)
          returning failing_since),
        moved as (
          update webhooks.delivery set status = ?, next_attempt_at = coalesce(?, next_attempt_at) where id = ?)
        select failing_since from health""")) {
      int i = 1;
      record.setString(i++, delivery.id());
      record.setString(i++, delivery.endpointId());
      record.setInt(i++, delivery.attempt());
      record.setTimestamp(i++, Timestamp.from(attemptedAt));
      if (statusCode == null) record.setNull(i++, Types.INTEGER); else record.setInt(i++, statusCode);
      record.setLong(i++, durationMs);
      record.setString(i++, responseBody);
      record.setBoolean(i++, success);
      record.setString(i++, error);
      record.setString(i++, delivery.endpointId());
      record.setBoolean(i++, success);
      record.setBoolean(i++, success);
      record.setString(i++, status);
      record.setTimestamp(i++, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt));
      record.setString(i++, delivery.id());
      try (ResultSet row = record.executeQuery()) {
        return row.next() ? instant(row.getTimestamp(1)) : null;
      }
    }
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

  /** Deletes events (with their deliveries and attempts) older than the retention that have nothing pending. */
  static int deleteOlderThan(Connection connection, Instant before) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("""
        delete from webhooks.event e where e.created_at < ?
           and not exists (select 1 from webhooks.delivery d where d.event_id = e.id and d.status = 'pending')""")) {
      delete.setTimestamp(1, Timestamp.from(before));
      return delete.executeUpdate();
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
