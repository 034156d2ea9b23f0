package dev.meridian.agent.admin;

/**
 * Keeps a periodic scan to a share of one core: after a scan that took {@code t}, the next is due only once
 * {@code t * (1 - share) / share} more has passed. A scan that took less than {@code free} is always due again, so a
 * small store is scanned at every look. Time is in nanoseconds from any origin ({@link System#nanoTime}); one thread
 * calls it.
 */
final class ScanPace {
  private final double share;
  private final long freeNanos;
  private long dueAt;
  private boolean scanned;

  ScanPace(double share, long freeNanos) {
    if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    if (freeNanos < 0) throw new IllegalArgumentException("negative free time: " + freeNanos);
    this.share = share;
    this.freeNanos = freeNanos;
  }

  /** Whether a scan may run now; always before the first. */
  boolean due(long now) {
    return !scanned || now - dueAt >= 0;
  }

  /** Records a scan that ran from {@code start} to {@code end}. */
  void scanned(long start, long end) {
    long took = Math.max(0, end - start);
    scanned = true;
    dueAt = took < freeNanos ? end : end + (long) (took * (1 - share) / share);
  }
}
