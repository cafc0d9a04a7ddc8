package dev.postflow.posts.webhook;

import dev.postflow.posts.ListPage;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads webhook-service's delivery log (schema webhooks, read-only here; webhook-service writes it). */
@ApplicationScoped
public class WebhookDeliveryLog {
  @Inject Pool pool;

  public record AttemptView(String id, String eventId, String eventType, int attempt, Instant attemptedAt, Integer statusCode,
      long durationMs, String responseBody, boolean success, String error) {}

  /** Every attempt to the endpoint, newest first. */
  public Uni<ListPage<AttemptView>> attempts(String endpointId, String eventId, Boolean success, String cursor, Integer limit) {
    int size = limit == null ? 50 : limit;
    if (size < 1 || size > 200) throw ProblemException.validation(List.of(FieldError.of("limit", "out_of_range", "limit is 1 to 200")));
    long before;
    try {
      before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw ProblemException.validation(List.of(FieldError.of("cursor", "invalid_cursor", "use the next_cursor of a previous page")));
    }
    return pool.preparedQuery("""
            select a.id as seq, d.id, d.event_id, e.type, a.attempt, a.attempted_at, a.status_code, a.duration_ms, a.response_body,
                   a.success, a.error
              from webhooks.delivery_attempt a join webhooks.delivery d on d.id = a.delivery_id join webhooks.event e on e.id = d.event_id
             where a.endpoint_id = $1 and a.id < $2 and ($3::text is null or d.event_id = $3) and ($4::boolean is null or a.success = $4)
             order by a.id desc limit $5""")
        .execute(Tuple.of(endpointId, before, eventId, success, size + 1))
        .map(rows -> {
          List<AttemptView> page = new ArrayList<>();
          long last = 0;
          for (Row row : rows) {
            if (page.size() == size) return new ListPage<>(page, String.valueOf(last));
            last = row.getLong("seq");
            page.add(new AttemptView(row.getString("id"), row.getString("event_id"), row.getString("type"), row.getInteger("attempt"),
                row.getOffsetDateTime("attempted_at").toInstant(), row.getInteger("status_code"), row.getLong("duration_ms"),
                row.getString("response_body"), row.getBoolean("success"), row.getString("error")));
          }
          return new ListPage<>(page, null);
        });
  }

  /** The event id of one of the endpoint's deliveries; 404 when the endpoint has no such delivery. */
  public Uni<String> eventOf(String endpointId, String deliveryId) {
    return pool.preparedQuery("select event_id from webhooks.delivery where id = $1 and endpoint_id = $2")
        .execute(Tuple.of(deliveryId, endpointId))
        .map(rows -> {
          if (!rows.iterator().hasNext()) throw ProblemException.notFound("delivery " + deliveryId + " of webhook endpoint " + endpointId);
          return rows.iterator().next().getString("event_id");
        });
  }
}
