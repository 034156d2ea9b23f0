package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the operator surface.
 *
 * @param stallThreshold work pending and no progress for this long makes the region {@code degraded}
 * @param fanOutTimeout how long a fleet view waits for the slowest region
 * @param sampleInterval how often the region's replication state is sampled (status, gauges, stalls)
 */
public record AdminConfig(Duration stallThreshold, Duration fanOutTimeout, Duration sampleInterval) {
  public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(120);

  public AdminConfig {
    positive(stallThreshold, "stallThreshold");
    positive(fanOutTimeout, "fanOutTimeout");
    positive(sampleInterval, "sampleInterval");
  }

  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_STALL_THRESHOLD, Duration.ofSeconds(2), Duration.ofSeconds(1));
  }

  public AdminConfig withStallThreshold(Duration threshold) {
    return new AdminConfig(threshold, fanOutTimeout, sampleInterval);
  }

  private static void positive(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
  }
}
