package dev.meridian.agent.admin;

/**
 * Keeps a periodic scan to a share of one core: after a scan that took {@code t}, the next is due only once
 * {@code t * (1 - share) / share} more has passed (at most {@code maxWait}). A scan that took less than {@code free} is always due again, so a
 * small store is scanned at every look. Time is in nanoseconds from any origin ({@link System#nanoTime}); one thread
 * calls it.
 */
final class ScanPace {
  private final double share;
  private final long freeNanos;
  private final long maxWaitNanos;
  private long dueAt;
  private boolean scanned;

  /** @param maxWaitNanos the longest wait after any scan, so a figure is never older than that plus a scan */
  ScanPace(double share, long freeNanos, long maxWaitNanos) {
    if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    if (freeNanos < 0 || maxWaitNanos < 0) throw new IllegalArgumentException("negative time: " + freeNanos + ", " + maxWaitNanos);
    this.share = share;
    this.freeNanos = freeNanos;
    this.maxWaitNanos = maxWaitNanos;
  }

  /** Whether a scan may run now; always before the first. */
  boolean due(long now) {
    return !scanned || now - dueAt >= 0;
  }

  /** Records a scan that ran from {@code start} to {@code end}. */
  void scanned(long start, long end) {
    long took = Math.max(0, end - start);
    scanned = true;
    dueAt = took < freeNanos ? end : end + Math.min(maxWaitNanos, (long) (took * (1 - share) / share));
  }
}
