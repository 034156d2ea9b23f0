package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Notices a region that has work and does nothing with it: work pending and the progress counter unchanged
 * for at least {@code threshold}. Fed one observation at a time (by {@link RegionMonitor}, every second);
 * the stall clock starts at the first observation that saw work pending, so a region that was idle for an
 * hour is not called stalled the moment work arrives. Not thread-safe: one sampler calls it.
 */
public final class StallDetector {
  private final Duration threshold;
  private long lastProgress = Long.MIN_VALUE;
  private Instant movedAt;

  public StallDetector(Duration threshold) {
    requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.isZero()) throw new IllegalArgumentException("stall threshold must be positive: " + threshold);
    this.threshold = threshold;
  }

  /** Records an observation; returns the reason when the region counts as stalled. */
  public Optional<String> observe(long progress, boolean workPending, Instant now) {
    if (!workPending || progress != lastProgress || movedAt == null) {
      lastProgress = progress;
      movedAt = now;
      return Optional.empty();
    }
    Duration still = Duration.between(movedAt, now);
    if (still.compareTo(threshold) < 0) return Optional.empty();
    return Optional.of("stalled: work pending and no progress for " + still.toSeconds() + " s");
  }

  public Duration threshold() {
    return threshold;
  }
}
