package dev.postflow.webhooks.delivery;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores each lifecycle event of a workspace that has webhook endpoints once (for replays), and a pending delivery per
 * subscribed, enabled endpoint.
 */
@ApplicationScoped
public class DeliveryFanOut {
  @Inject AgroalDataSource dataSource;
  @Inject WebhookSenders senders;

  /** Returns how many new deliveries were stored (0 for an event seen before). */
  public int fanOut(String workspaceId, String eventId, String eventType, String body) throws SQLException {
    int created = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      List<DeliveryRepository.Endpoint> endpoints = DeliveryRepository.endpoints(connection, workspaceId);
      if (endpoints.isEmpty()) return 0; // a workspace without webhooks: nothing to deliver or replay later
      DeliveryRepository.insertEvent(connection, eventId, workspaceId, eventType, body);
      List<String> subscribers = new ArrayList<>();
      for (DeliveryRepository.Endpoint endpoint : endpoints) {
        if (endpoint.enabled() && subscribed(endpoint.events(), eventType)) subscribers.add(endpoint.id());
      }
      created = DeliveryRepository.insertDeliveries(connection, subscribers, eventId);
      connection.commit();
    }
    if (created > 0) senders.wake();
    return created;
  }

  /** events is a JSON array of strings such as ["post.published"] or ["*"]. */
  static boolean subscribed(String events, String eventType) {
    return events.contains("\"*\"") || events.contains("\"" + eventType + "\"");
  }
}
