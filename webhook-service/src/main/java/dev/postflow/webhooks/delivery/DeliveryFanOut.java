package dev.postflow.webhooks.delivery;

import dev.postflow.contract.ShortWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stores each lifecycle event of a workspace that has webhook endpoints once (for replays), and a pending delivery per
 * subscribed, enabled endpoint.
 */
@ApplicationScoped
public class DeliveryFanOut {
  @Inject WebhookSenders senders;
  @Inject ShortWork shortWork;

  /** A lifecycle event as read from Kafka. */
  public record Event(String workspaceId, String id, String type, String body) {}

  /**
   * Stores the deliveries of a batch of events in one transaction, reading the endpoints of all their workspaces in
   * one query. Returns how many new deliveries were stored (none for events seen before).
   */
  public int fanOut(List<Event> events) throws SQLException {
    int created = shortWork.run(connection -> store(connection, events));
    if (created > 0) senders.wake();
    return created;
  }

  private static int store(Connection connection, List<Event> events) throws SQLException {
    connection.setAutoCommit(false);
    Map<String, List<DeliveryRepository.Endpoint>> endpointsByWorkspace =
        DeliveryRepository.endpointsOf(connection, events.stream().map(Event::workspaceId).distinct().toList());
    if (endpointsByWorkspace.isEmpty()) return 0; // workspaces without webhooks: nothing to deliver or replay later
    int created = 0;
    for (Event event : events) {
      List<DeliveryRepository.Endpoint> endpoints = endpointsByWorkspace.get(event.workspaceId());
      if (endpoints == null) continue;
      DeliveryRepository.insertEvent(connection, event.id(), event.workspaceId(), event.type(), event.body());
      List<String> subscribers = new ArrayList<>();
      for (DeliveryRepository.Endpoint endpoint : endpoints) {
        if (endpoint.enabled() && subscribed(endpoint.events(), event.type())) subscribers.add(endpoint.id());
      }
      created += DeliveryRepository.insertDeliveries(connection, subscribers, event.id());
    }
    connection.commit();
    return created;
  }

  /** events is a JSON array of strings such as ["post.published"] or ["*"]. */
  static boolean subscribed(String events, String eventType) {
    return events.contains("\"*\"") || events.contains("\"" + eventType + "\"");
  }
}
