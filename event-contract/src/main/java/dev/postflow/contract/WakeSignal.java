package dev.postflow.contract;

/** Lets a worker thread sleep until a deadline or until someone says there is work, whichever comes first. */
public final class WakeSignal {
  private boolean woken;

  public synchronized void wake() {
    woken = true;
    notifyAll();
  }

  /** Waits up to {@code millis} (at least 1 ms) unless woken since the last wait. */
  public synchronized void await(long millis) {
    if (!woken) {
      try {
        wait(Math.max(1, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    woken = false;
  }
}
