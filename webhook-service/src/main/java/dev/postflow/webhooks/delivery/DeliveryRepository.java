package dev.postflow.webhooks.delivery;

import dev.postflow.contract.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for deliveries, and the read of posts-api's webhook endpoints (read-only; posts-api owns them). */
final class DeliveryRepository {
  private DeliveryRepository() {}

  record Endpoint(String id, String url, String encryptedSecret, String events) {}

  record Claimed(String id, String endpointId, String eventId, String payload, int attempt) {}

  static List<Endpoint> enabledEndpoints(Connection connection, String workspaceId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "select id, url, secret, events from posts.webhook_endpoint where workspace_id = ? and status = 'enabled'")) {
      select.setString(1, workspaceId);
      List<Endpoint> endpoints = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) endpoints.add(new Endpoint(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
      }
      return endpoints;
    }
  }

  static Endpoint endpoint(Connection connection, String endpointId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "select id, url, secret, events from posts.webhook_endpoint where id = ? and status = 'enabled'")) {
      select.setString(1, endpointId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? new Endpoint(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)) : null;
      }
    }
  }

  /** One delivery per endpoint and event: a redelivered event adds nothing. */
  static boolean insert(Connection connection, String endpointId, String eventId, String eventType, String payload) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        insert into webhooks.delivery (id, endpoint_id, event_id, event_type, payload, status)
        values (?, ?, ?, ?, ?, 'pending') on conflict (endpoint_id, event_id) do nothing""")) {
      insert.setString(1, Ids.newId("del"));
      insert.setString(2, endpointId);
      insert.setString(3, eventId);
      insert.setString(4, eventType);
      insert.setString(5, payload);
      return insert.executeUpdate() == 1;
    }
  }

  /**
   * Takes the next due delivery and leases it: its next attempt moves past the lease, so if this sender dies the
   * delivery is tried again after the lease instead of being lost.
   */
  static Claimed claimNext(Connection connection, long leaseSeconds) throws SQLException {
    try (PreparedStatement claim = connection.prepareStatement("""
        update webhooks.delivery d
           set attempts = attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => ?)
         where id = (select id from webhooks.delivery
                      where status = 'pending' and next_attempt_at <= clock_timestamp()
                      order by next_attempt_at limit 1 for update skip locked)
        returning id, endpoint_id, event_id, payload, attempts""")) {
      claim.setLong(1, leaseSeconds);
      try (ResultSet row = claim.executeQuery()) {
        return row.next() ? new Claimed(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getInt(5)) : null;
      }
    }
  }

  static void recordAttempt(Connection connection, Claimed delivery, Instant attemptedAt, Integer statusCode, long durationMs,
      String responseBody, boolean success, String error) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        insert into webhooks.delivery_attempt (delivery_id, attempt, attempted_at, status_code, duration_ms, response_body, success, error)
        values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
      insert.setString(1, delivery.id());
      insert.setInt(2, delivery.attempt());
      insert.setTimestamp(3, Timestamp.from(attemptedAt));
      if (statusCode == null) insert.setNull(4, java.sql.Types.INTEGER); else insert.setInt(4, statusCode);
      insert.setLong(5, durationMs);
      insert.setString(6, responseBody);
      insert.setBoolean(7, success);
      insert.setString(8, error);
      insert.executeUpdate();
    }
  }

  static void finish(Connection connection, String deliveryId, String status) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("update webhooks.delivery set status = ? where id = ?")) {
      update.setString(1, status);
      update.setString(2, deliveryId);
      update.executeUpdate();
    }
  }

  static void retryAt(Connection connection, String deliveryId, Instant next) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("update webhooks.delivery set next_attempt_at = ? where id = ?")) {
      update.setTimestamp(1, Timestamp.from(next));
      update.setString(2, deliveryId);
      update.executeUpdate();
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
}
