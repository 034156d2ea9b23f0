package dev.meridian.agent.repair;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the background repairs (DESIGN.md §7).
 *
 * @param scrubBytesPerSecond how fast the scrubber may read blobs (it competes with serving for the disk)
 * @param scrubInterval the pause between two scrub passes over every blob (the first starts one pause after start)
 * @param antiEntropyInterval the pause between two anti-entropy rounds (each compares with every peer)
 */
public record RepairConfig(long scrubBytesPerSecond, Duration scrubInterval, Duration antiEntropyInterval) {
  public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 16L << 20;

  public RepairConfig {
    if (scrubBytesPerSecond <= 0) throw new IllegalArgumentException("scrub rate must be positive: " + scrubBytesPerSecond);
    positive(scrubInterval, "scrubInterval");
    positive(antiEntropyInterval, "antiEntropyInterval");
  }

  public static RepairConfig defaults() {
    return new RepairConfig(DEFAULT_SCRUB_BYTES_PER_SECOND, Duration.ofHours(24), Duration.ofMinutes(5));
  }

  private static void positive(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
  }
}
