package dev.postflow.publisher.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.PublishRequest;
import dev.postflow.publisher.publish.ProviderQuotas;
import dev.postflow.contract.PublishResult;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.annotation.PostConstruct;
import dev.postflow.contract.Columns;
import dev.postflow.contract.StatementBatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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

  @ConfigProperty(name = "postflow.publisher.statement-batch-size")
  int batchSize;

  /** Ledger rows of concurrent publishes are written together (see StatementBatcher); answers in input order. */
  private StatementBatcher<PublishRequest, java.time.Instant> starts;
  private StatementBatcher<PublishResult, Boolean> finishes;

  @PostConstruct
  void batchers() {
    starts = new StatementBatcher<>("ledger start", batchSize, 2, this::insertStarted);
    finishes = new StatementBatcher<>("ledger finish", batchSize, 2, this::updateFinished);
  }

  /**
   * Inserts a 'started' row for each request that has none; answers the new row's started_at, or null where a row
   * existed already (a redelivered request).
   */
  private Uni<List<java.time.Instant>> insertStarted(List<PublishRequest> requests) {
    Columns columns = new Columns(7, requests.size());
    for (PublishRequest r : requests) {
      columns.add(r.requestId(), r.postId(), r.targetId(), r.accountId(), r.platform(), ProviderQuotas.units(r), ProviderQuotas.countedApart(r));
    }
    return pool.preparedQuery("""
            insert into publisher.publish_ledger (request_id, post_id, target_id, account_id, platform, units, replies, state)
            select request_id, post_id, target_id, account_id, platform, units, replies, 'started'
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int4[], $7::int4[])
                   as r (request_id, post_id, target_id, account_id, platform, units, replies)
            on conflict (request_id) do nothing
            returning request_id, started_at""")
        .execute(columns.addTo(Tuple.tuple(), String.class, String.class, String.class, String.class, String.class, Integer.class, Integer.class))
        .map(rows -> {
          Map<String, java.time.Instant> started = new HashMap<>();
          for (Row row : rows) started.put(row.getString("request_id"), row.getOffsetDateTime("started_at").toInstant());
          // A request id twice in one batch: the first caller has the new row, the second finds it existing.
          List<java.time.Instant> answers = new ArrayList<>(requests.size());
          for (PublishRequest r : requests) answers.add(started.remove(r.requestId()));
          return answers;
        });
  }

  private Uni<List<Boolean>> updateFinished(List<PublishResult> results) {
    Columns columns = new Columns(3, results.size());
    for (PublishResult r : results) columns.add(r.requestId(), state(r), write(r));
    return pool.preparedQuery("""
            update publisher.publish_ledger l set state = r.state, result = r.result, finished_at = clock_timestamp()
              from unnest($1::text[], $2::text[], $3::text[]) as r (request_id, state, result)
             where l.request_id = r.request_id""")
        .execute(columns.addTo(Tuple.tuple(), String.class, String.class, String.class))
        .map(ignored -> java.util.Collections.nCopies(results.size(), Boolean.TRUE));
  }

  public Uni<Entry> begin(PublishRequest request) {
    return starts.submit(request)
        .chain(startedAt -> {
          if (startedAt != null) return Uni.createFrom().item(new Entry(State.NEW, null, startedAt));
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

  /**
   * The row's state: the outcome (published, failed, unconfirmed), or partly_published for a failure after the post
   * itself went out (a thread's reply or a comment refused): that post counts against the platform's quotas.
   */
  static String state(PublishResult result) {
    boolean partly = result.outcome() == PublishResult.Outcome.failed && result.platformPostId() != null;
    return partly ? "partly_published" : result.outcome().name();
  }

  public Uni<Void> finish(PublishResult result) {
    return finishes.submit(result).replaceWithVoid();
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
