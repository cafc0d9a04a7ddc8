package dev.postflow.posts.post;

import dev.postflow.contract.WorkerLoop;
import dev.postflow.posts.messaging.OutboxMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The net under the publishers' Kafka offsets: a request sent to a publisher (publish, unpublish, edit) that has had no
 * answer for {@code postflow.requests.resend-after} is sent again. The statement that writes requests to the outbox
 * also writes one {@code posts.request_watch} row with their request ids ({@code <target id>.<attempt>}, so each names
 * its target). A round every
 * {@code postflow.requests.watch-interval} takes the rows older than resend-after (skipping rows another replica
 * holds) and, for each target that still waits for exactly that request, sends the same request again with the same
 * id ({@link PostLifecycle#resend}). The publisher's ledger makes the copy harmless: a request it finished is answered
 * again with its stored result, one it began is reconciled with the platform (a lookup, never a blind second call),
 * one it never saw is made. A copy is watched again, up to max-resends; after that the request is left to an operator
 * (an error in the log, the counter {@code postflow_requests_unanswered_total}).
 *
 * <p>Why it exists: the chaos run with two replicas lost three publish requests to a Kafka offset committed past
 * them (fixed in the publisher, {@code AssignedPartitions}); nothing would have sent them again, and their posts
 * stayed publishing for good. A request waits at most the publisher's retry window (10 min) and a lookup window
 * (2 min) in normal operation, so resend-after (30 min) finds only requests that were lost or a publisher long down.
 */
@ApplicationScoped
public class RequestWatch {
  static final int BATCH = 100;

  /**
   * Takes up to :limit watch rows older than :after ms and answers, per row, each of its targets that still waits for
   * its request (post id and request id), or one row of nulls when none does.
   */
  static final String TAKE = """
      with due as (
        delete from posts.request_watch w
         where w.id in (select id from posts.request_watch where sent_at < now() - :after * interval '1 millisecond'
                         order by sent_at limit :limit for update skip locked)
        returning w.id, w.request_ids, w.resends)
      select due.id, t.post_id, t.current_request_id, due.resends
        from due
        left join lateral (
          select t.post_id, t.current_request_id
            from unnest(due.request_ids) as u(request_id)
            join posts.post_target t on t.id = split_part(u.request_id, '.', 1) and t.current_request_id = u.request_id
           where t.status in ('publishing', 'unpublishing', 'editing')) t on true""";

  @Inject PostLifecycle lifecycle;
  @Inject dev.postflow.posts.messaging.OutboxRelay relay;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "postflow.requests.resend-after")
  Duration resendAfter;

  @ConfigProperty(name = "postflow.requests.watch-interval")
  Duration interval;

  @ConfigProperty(name = "postflow.requests.max-resends")
  int maxResends;

  private Counter resent;
  private Counter unanswered;
  private WorkerLoop loop;

  void start(@Observes StartupEvent event) {
    resent = Counter.builder("postflow.requests.resent").description("requests to publishers sent again after no answer").register(registry);
    unanswered = Counter.builder("postflow.requests.unanswered")
        .description("requests to publishers left unanswered after every resend").register(registry);
    loop = new WorkerLoop("request-watch", 1, () -> {
      int taken = resendUnanswered();
      return taken == BATCH ? 0 : interval.toMillis();
    });
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    loop.stop(Duration.ofSeconds(5));
  }

  /** The request ids of the watched requests among {@code messages}. */
  static String[] watched(List<OutboxMessage> messages) {
    return messages.stream().map(message -> message.watchedRequest).filter(java.util.Objects::nonNull).toArray(String[]::new);
  }

  /** Records the watched requests among a Hibernate transaction's messages: one row, in the same transaction. */
  static Uni<Void> record(List<OutboxMessage> messages, int resends) {
    String[] ids = watched(messages);
    if (ids.length == 0) return Uni.createFrom().voidItem();
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into posts.request_watch (request_ids, resends) values (string_to_array(:requests, ','), :resends)""")
        .setParameter("requests", String.join(",", ids)).setParameter("resends", resends).executeUpdate()).replaceWithVoid();
  }

  /** One round: up to {@link #BATCH} watch rows past resend-after; returns how many were taken. */
  public int resendUnanswered() throws Exception {
    Round round;
    try {
      round = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::roundInTransaction));
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    if (round.sent() > 0) relay.wake();
    return round.taken();
  }

  private record Round(int taken, int sent) {}

  private Uni<Round> roundInTransaction() {
    return Panache.getSession().chain(session -> session.createNativeQuery(TAKE)
            .setParameter("after", resendAfter.toMillis()).setParameter("limit", BATCH).getResultList())
        .chain(rows -> {
          Set<Long> taken = new HashSet<>();
          Map<String, Set<String>> waiting = new TreeMap<>(); // by post id: posts are locked in id order, as the consumers do
          Map<String, Integer> resends = new TreeMap<>();
          for (Object row : rows) {
            Object[] columns = (Object[]) row;
            taken.add(((Number) columns[0]).longValue());
            if (columns[1] == null) continue;
            String postId = (String) columns[1];
            waiting.computeIfAbsent(postId, id -> new HashSet<>()).add((String) columns[2]);
            resends.merge(postId, ((Number) columns[3]).intValue(), Math::max);
          }
          Uni<Integer> sent = Uni.createFrom().item(0);
          for (Map.Entry<String, Set<String>> post : waiting.entrySet()) {
            int before = resends.get(post.getKey());
            if (before >= maxResends) {
              Log.errorf("requests %s of post %s: no answer after %d resends, %s apart; not sending them again (is a publisher down?)",
                  post.getValue(), post.getKey(), before, resendAfter);
              unanswered.increment(post.getValue().size());
              continue;
            }
            sent = sent.chain(count -> lifecycle.resend(post.getKey(), post.getValue(), before + 1).map(n -> {
              if (n > 0) {
                Log.warnf("requests %s of post %s: no answer for %s; sent again (resend %d of at most %d)", post.getValue(), post.getKey(),
                    resendAfter, before + 1, maxResends);
                resent.increment(n);
              }
              return count + n;
            }));
          }
          return sent.map(count -> new Round(taken.size(), count));
        });
  }
}
