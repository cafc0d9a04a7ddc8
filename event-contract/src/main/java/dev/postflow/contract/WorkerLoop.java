package dev.postflow.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Background threads that run a round of work again and again: the outbox relay, the due dispatcher, the webhook
 * senders. A round returns how long to sleep before the next one (0: go again now); {@link #wake()} ends the sleep
 * early. A failed round is logged and retried after a second. {@link #stop} lets the round in flight finish.
 */
public final class WorkerLoop {
  /** One round of work; returns milliseconds to wait before the next round. */
  public interface Round {
    long run() throws Exception;
  }

  private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());
  private final WakeSignal signal = new WakeSignal();
  private final List<Thread> threads = new ArrayList<>();
  private final String name;
  private final Round round;
  private volatile boolean running;

  public WorkerLoop(String name, int threadCount, Round round) {
    this.name = name;
    this.round = round;
    for (int i = 0; i < threadCount; i++) {
      Thread thread = new Thread(this::loop, threadCount == 1 ? name : name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  public void start() {
    running = true;
    threads.forEach(Thread::start);
  }

  /** Stops taking new rounds; waits up to {@code timeout} for each thread's round in flight. */
  public void stop(Duration timeout) throws InterruptedException {
    running = false;
    signal.wake();
    for (Thread thread : threads) thread.join(timeout.toMillis());
  }

  public void wake() {
    signal.wake();
  }

  private void loop() {
    while (running) {
      try {
        long wait = round.run();
        if (wait > 0 && running) signal.await(wait);
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, name + ": " + e + "; retrying in 1 s");
        signal.await(1000);
      }
    }
  }
}
