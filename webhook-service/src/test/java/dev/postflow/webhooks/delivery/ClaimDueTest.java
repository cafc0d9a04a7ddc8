package dev.postflow.webhooks.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postflow.contract.Ids;
import dev.postflow.testsupport.RealInfrastructure;
import dev.postflow.webhooks.WebhookFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's claim gives an endpoint no more deliveries than it has room for: the per-endpoint limit minus what is
 * already in flight to it. Claiming a full share for an endpoint that has some in flight left the extra ones waiting
 * for a connection while their attempt's timeout ran, so behind a black-holed endpoint they timed out barely sent.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class ClaimDueTest {
  @Test
  void anEndpointIsGivenOnlyWhatItHasRoomFor() throws Exception {
    String partlyBusy = Ids.newId("wh");
    String full = Ids.newId("wh");
    String idle = Ids.newId("wh");
    try (Connection connection = RealInfrastructure.jdbc()) {
      WebhookFixtures.ensureEndpointTable(connection);
      // Uncommitted: the running service's dispatcher cannot see (or take) these rows; the claim on this connection can.
      connection.setAutoCommit(false);
      try (PreparedStatement event = connection.prepareStatement("insert into webhooks.event (id, workspace_id, type, payload) values (?, 'ws_claim', 'post.published', '{}')");
          PreparedStatement delivery = connection.prepareStatement("insert into webhooks.delivery (id, endpoint_id, event_id, status) values (?, ?, ?, 'pending')")) {
        for (String endpoint : List.of(partlyBusy, full, idle)) {
          for (int i = 0; i < 10; i++) {
            String eventId = Ids.newId("evt");
            event.setString(1, eventId);
            event.executeUpdate();
            delivery.setString(1, Ids.newId("dlv"));
            delivery.setString(2, endpoint);
            delivery.setString(3, eventId);
            delivery.executeUpdate();
          }
        }
      }
      List<DeliveryRepository.Claimed> claimed = DeliveryRepository.claimDue(connection, 60, Map.of(partlyBusy, 3, full, 4), 4, 200);
      Map<String, Long> byEndpoint = claimed.stream().collect(Collectors.groupingBy(DeliveryRepository.Claimed::endpointId, Collectors.counting()));
      assertEquals(1L, byEndpoint.getOrDefault(partlyBusy, 0L), "3 of 4 in flight: room for one");
      assertEquals(0L, byEndpoint.getOrDefault(full, 0L), "4 of 4 in flight: none");
      assertEquals(4L, byEndpoint.getOrDefault(idle, 0L), "none in flight: the whole share");
      connection.rollback();
    }
  }
}
