package dev.postflow.publisher.messaging;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One lane per account: an account's work runs one item after the other, in the order it was submitted; different
 * accounts run in parallel. A slow item (a lost answer waiting for its timeout) holds up only its own account.
 */
final class AccountLanes {
  private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

  synchronized CompletableFuture<Void> submit(String accountId, Supplier<Uni<Void>> work) {
    CompletableFuture<Void> previous = tails.getOrDefault(accountId, CompletableFuture.completedFuture(null));
    CompletableFuture<Void> next = previous.handle((ignored, failure) -> null)
        .thenCompose(ignored -> work.get().subscribeAsCompletionStage());
    tails.put(accountId, next);
    next.whenComplete((ignored, failure) -> forget(accountId, next));
    return next;
  }

  private synchronized void forget(String accountId, CompletableFuture<Void> tail) {
    if (tails.get(accountId) == tail) tails.remove(accountId);
  }
}
