package dev.meridian.agent.drill;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.time.Duration;

/**
 * One failover drill: the region to take out, how long the workload runs (the region is reconnected halfway),
 * the lag under which it gets traffic again, and how long to wait for catch-up and for convergence.
 */
public record DrillSettings(RegionId region, Duration duration, Duration lagThreshold, Duration catchUpTimeout,
    Duration convergeTimeout, Duration pollInterval) {
  public DrillSettings {
    requireNonNull(region, "region");
    positive(duration, "duration");
    positive(lagThreshold, "lag threshold");
    positive(catchUpTimeout, "catch-up timeout");
    positive(convergeTimeout, "convergence timeout");
    positive(pollInterval, "poll interval");
  }

  public static DrillSettings of(RegionId region, Duration duration, Duration lagThreshold) {
    return new DrillSettings(region, duration, lagThreshold, Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofMillis(500));
  }

  private static void positive(Duration d, String what) {
    requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be positive: " + d);
  }
}
