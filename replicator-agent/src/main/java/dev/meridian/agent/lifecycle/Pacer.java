package dev.meridian.agent.lifecycle;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Holds a long background pass (a scan of every manifest register) to a share of one core: after each slice of work
 * it rests long enough that work is at most {@code share} of the pass's time. Work is the wall time between rests,
 * which counts time the thread waited for a core too: on a busy machine the pass works less than its share, never
 * more. Not thread-safe: one pass, one thread.
 */
final class Pacer {
  /** Reads a monotonic clock in nanoseconds. */
  interface Clock {
    long nanos();
  }

  /** Rests the calling thread. */
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final double share;
  private final long sliceNanos;
  private final Clock clock;
  private final Sleeper sleeper;
  private long sliceStart;
  private long workedBefore;

  /** A pacer starting now; a {@code share} of 1 never rests (it only counts the work). */
  Pacer(double share, Duration slice, Clock clock, Sleeper sleeper) {
    if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    if (slice.isNegative() || slice.isZero()) throw new IllegalArgumentException("slice must be positive: " + slice);
    this.share = share;
    this.sliceNanos = slice.toNanos();
    this.clock = clock;
    this.sleeper = sleeper;
    this.sliceStart = clock.nanos();
  }

  /** The system clock and {@link Thread#sleep}. */
  static Pacer of(double share, Duration slice) {
    return new Pacer(share, slice, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /**
   * One step of the pass done (one register read): rests once a slice of work is complete.
   *
   * @throws CancellationException if the thread is interrupted while it rests (the pass's owner is closing); the
   *     thread's interrupt status is kept
   */
  void step() {
    long now = clock.nanos();
    long worked = now - sliceStart;
    if (worked < sliceNanos) return;
    workedBefore += worked;
    long rest = (long) (worked * (1 - share) / share);
    if (rest > 0) {
      try {
        sleeper.sleep(rest);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while resting between slices of a background pass");
      }
    }
    sliceStart = clock.nanos();
  }

  /** The pass's work so far: its time since the start, rests excluded. */
  long workNanos() {
    return workedBefore + (clock.nanos() - sliceStart);
  }
}
