package dev.postflow.publisher.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The publish ledger: a row per publish request, written before the platform is called and finished with the
 * result. A redelivered request finds its row: finished, the stored result is sent again; started but never
 * finished (the process died during the call), the outcome is unknown and must be reconciled, never retried blindly.
 */
@ApplicationScoped
public class PublishLedger {
  public enum State { NEW, IN_DOUBT, FINISHED }

  /** {@code firstStartedAt}: when this request was first taken (its retry window counts from there). */
  public record Entry(State state, PublishResult result, java.time.Instant firstStartedAt) {}

  @Inject Pool pool;
  @Inject ObjectMapper json;

  public Uni<Entry> begin(PublishRequest request) {
    return pool.preparedQuery("""
            insert into publisher.publish_ledger (request_id, post_id, target_id, account_id, platform, state)
            values ($1, $2, $3, $4, $5, 'started')
            on conflict (request_id) do nothing
            returning started_at""")
        .execute(Tuple.of(request.requestId(), request.postId(), request.targetId(), request.accountId(), request.platform()))
        .chain(inserted -> {
          if (inserted.rowCount() == 1) {
            return Uni.createFrom().item(new Entry(State.NEW, null, inserted.iterator().next().getOffsetDateTime("started_at").toInstant()));
          }
          // A row marked 'retry' is taken again (nothing was sent); any other unfinished row is in doubt.
          return pool.preparedQuery("update publisher.publish_ledger set state = 'started' where request_id = $1 and state = 'retry'"
                  + " returning started_at")
              .execute(Tuple.of(request.requestId()))
              .chain(retaken -> {
                if (retaken.rowCount() == 1) {
                  return Uni.createFrom().item(new Entry(State.NEW, null, retaken.iterator().next().getOffsetDateTime("started_at").toInstant()));
                }
                return pool.preparedQuery("select result, started_at from publisher.publish_ledger where request_id = $1")
                    .execute(Tuple.of(request.requestId()))
                    .map(rows -> {
                      Row row = rows.iterator().next();
                      String result = row.getString("result");
                      java.time.Instant first = row.getOffsetDateTime("started_at").toInstant();
                      return result == null ? new Entry(State.IN_DOUBT, null, first) : new Entry(State.FINISHED, read(result), first);
                    });
              });
        });
  }

  /** Nothing was published and the failure is temporary: the request will be taken again. */
  public Uni<Void> markRetry(String requestId) {
    return pool.preparedQuery("update publisher.publish_ledger set state = 'retry' where request_id = $1 and result is null")
        .execute(Tuple.of(requestId)).replaceWithVoid();
  }

  public Uni<Void> finish(PublishResult result) {
    return pool.preparedQuery("update publisher.publish_ledger set state = $2, result = $3, finished_at = clock_timestamp() where request_id = $1")
        .execute(Tuple.of(result.requestId(), result.outcome().name(), write(result)))
        .replaceWithVoid();
  }

  private PublishResult read(String text) {
    try {
      return json.readValue(text, PublishResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String write(PublishResult result) {
    try {
      return json.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
