package dev.postflow.contract;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Group commit for one kind of statement (posts-api's new posts and sandbox posts, the publisher's ledger rows and
 * account reads): calls that arrive while earlier statements run share the next one (one round trip and one plan for
 * many rows instead of one each). A call made on a Vert.x context starts its statement only once the work at hand is
 * done (a task on the context): the other calls of the same Kafka batch, or of the same network wake-up, join it
 * instead of each starting a statement of its own. With little traffic a batch holds one call and nothing waits. A
 * failed batch is split and every call runs alone, so one bad row fails only its own caller. Each caller is answered
 * on its own Vert.x context, as if it had run the statement itself.
 *
 * @param <I> one call's input
 * @param <O> one call's answer; {@code statement} returns the answers in the order of its inputs
 */
public final class StatementBatcher<I, O> {
  private final String name;
  private final Function<List<I>, Uni<List<O>>> statement;
  private final int maxBatch;
  private final int maxInFlight;
  private final ConcurrentLinkedQueue<Pending<I, O>> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  /**
   * The threads with a start task queued. Per thread, not one flag for all: a call on one event loop must not wait
   * for another event loop to finish its task before its statement starts.
   */
  private final Set<Thread> startScheduled = ConcurrentHashMap.newKeySet();

  private record Pending<I, O>(I input, UniEmitter<? super O> answer, Context context) {}

  public StatementBatcher(String name, int maxBatch, int maxInFlight, Function<List<I>, Uni<List<O>>> statement) {
    this.name = name;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.statement = statement;
  }

  /** Completes with this input's answer once the statement that carried it completed. */
  public Uni<O> submit(I input) {
    return Uni.createFrom().emitter(answer -> {
      Context context = Vertx.currentContext();
      waiting.add(new Pending<>(input, answer, context));
      if (context == null) {
        startBatches();
      } else {
        Thread thread = Thread.currentThread();
        if (startScheduled.add(thread)) {
          context.runOnContext(ignored -> {
            startScheduled.remove(thread);
            startBatches();
          });
        }
      }
    });
  }

  /** Starts statements while fewer than maxInFlight run and calls are waiting. */
  private void startBatches() {
    while (!waiting.isEmpty()) {
      int running = inFlight.get();
      if (running >= maxInFlight) return; // the running statement's completion starts the next one
      if (!inFlight.compareAndSet(running, running + 1)) continue;
      List<Pending<I, O>> batch = new ArrayList<>();
      for (Pending<I, O> next; batch.size() < maxBatch && (next = waiting.poll()) != null; ) batch.add(next);
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      execute(batch).subscribe().with(ignored -> finished(), failure -> finished());
    }
  }

  private void finished() {
    inFlight.decrementAndGet();
    startBatches();
  }

  private Uni<Void> execute(List<Pending<I, O>> batch) {
    return Uni.createFrom().deferred(() -> statement.apply(batch.stream().map(Pending::input).toList()))
        .invoke(answers -> {
          if (answers.size() != batch.size()) {
            throw new IllegalStateException(name + ": " + answers.size() + " answers for " + batch.size() + " calls");
          }
          for (int i = 0; i < batch.size(); i++) answer(batch.get(i), answers.get(i), null);
        })
        .replaceWithVoid()
        .onFailure().recoverWithUni(failure -> {
          if (batch.size() == 1) {
            answer(batch.get(0), null, failure);
            return Uni.createFrom().voidItem();
          }
          Uni<Void> each = Uni.createFrom().voidItem();
          for (Pending<I, O> pending : batch) each = each.chain(() -> execute(List.of(pending)));
          return each;
        });
  }

  private static <I, O> void answer(Pending<I, O> pending, O answer, Throwable failure) {
    Runnable complete = () -> {
      if (failure == null) pending.answer().complete(answer); else pending.answer().fail(failure);
    };
    if (pending.context() == null) complete.run(); else pending.context().runOnContext(ignored -> complete.run());
  }
}
