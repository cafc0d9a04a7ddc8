package dev.postflow.publisher.platform;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Asks again until a platform's asynchronous processing is done (container, media, upload), within a deadline. */
public final class Polling {
  private Polling() {}

  /** The state a poll saw: done (with the value), still processing, or failed (with the outcome to report). */
  public record Poll<T>(T value, boolean done, ProviderOutcome failure) {
    public static <T> Poll<T> done(T value) {
      return new Poll<>(value, true, null);
    }

    public static <T> Poll<T> processing() {
      return new Poll<>(null, false, null);
    }

    public static <T> Poll<T> failed(ProviderOutcome failure) {
      return new Poll<>(null, true, failure);
    }
  }

  /** Polls every {@code interval} until done or {@code timeout}; then {@code onTimeout} says what it means. */
  public static <T> Uni<Poll<T>> until(Supplier<Uni<Poll<T>>> poll, Duration interval, Duration timeout, Supplier<Poll<T>> onTimeout) {
    Instant deadline = Instant.now().plus(timeout);
    return step(poll, interval, deadline, onTimeout);
  }

  private static <T> Uni<Poll<T>> step(Supplier<Uni<Poll<T>>> poll, Duration interval, Instant deadline, Supplier<Poll<T>> onTimeout) {
    return poll.get().chain(seen -> {
      if (seen.done()) return Uni.createFrom().item(seen);
      if (Instant.now().plus(interval).isAfter(deadline)) return Uni.createFrom().item(onTimeout.get());
      return Uni.createFrom().voidItem().onItem().delayIt().by(interval).chain(() -> step(poll, interval, deadline, onTimeout));
    });
  }

}
