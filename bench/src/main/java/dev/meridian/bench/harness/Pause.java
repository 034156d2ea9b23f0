package dev.meridian.bench.harness;

import java.util.concurrent.locks.LockSupport;

/** Short waits in polling loops; an interrupt ends the run. */
public final class Pause {
  private Pause() {}

  public static void millis(long millis) {
    LockSupport.parkNanos(millis * 1_000_000L);
    if (Thread.interrupted()) throw new IllegalStateException("interrupted");
  }
}
