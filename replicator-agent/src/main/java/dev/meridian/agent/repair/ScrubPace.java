package dev.meridian.agent.repair;

/**
 * The scrubber's speed limit: how long to wait so that {@code bytes} read since a pass began take at least
 * {@code bytes / rate} seconds. Pure. Pacing the whole pass rather than each read means a slow read (a cold
 * disk) is not followed by a needless wait, and the average never exceeds the rate.
 */
public final class ScrubPace {
  private final long bytesPerSecond;

  public ScrubPace(long bytesPerSecond) {
    if (bytesPerSecond <= 0) throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Nanoseconds to wait now, after {@code bytes} read in {@code elapsedNanos}; 0 when behind the rate. */
  public long delayNanos(long bytes, long elapsedNanos) {
    // bytes * 1e9 overflows a long past ~9 GB: compute in double, exact enough for a pause.
    double due = bytes * 1e9 / bytesPerSecond;
    return Math.max(0, (long) due - elapsedNanos);
  }
}
