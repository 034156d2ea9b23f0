package dev.meridian.agent.replication;

import java.util.OptionalLong;

/**
 * How far a new region is from holding what the fleet holds (status {@code creating}): manifests still to fetch,
 * an estimate of their bytes, and when that should be done at the rate observed so far.
 *
 * @param seeding whether the peer's snapshot is still being merged (the counts still grow)
 * @param etaSeconds empty while seeding (the work is not all known yet) or while no byte has arrived (no rate)
 */
public record CreationProgress(boolean seeding, long manifestsRemaining, long bytesRemaining, OptionalLong etaSeconds) {
  public CreationProgress {
    if (manifestsRemaining < 0 || bytesRemaining < 0) throw new IllegalArgumentException("negative remaining work");
    if (etaSeconds == null || etaSeconds.orElse(0) < 0) throw new IllegalArgumentException("bad eta " + etaSeconds);
  }

  /**
   * The progress from raw counts. Pure.
   *
   * @param expectedBytes the content the merged snapshot called for, as estimated while merging
   * @param fetchedBytes bytes fetched since seeding began
   * @param elapsedMillis time since seeding began
   */
  public static CreationProgress estimate(boolean seeding, long manifestsRemaining, long expectedBytes, long fetchedBytes,
      long elapsedMillis) {
    // Once no manifest waits nothing is left to fetch, whatever the estimate said.
    long remaining = manifestsRemaining == 0 ? 0 : Math.max(0, expectedBytes - Math.max(0, fetchedBytes));
    OptionalLong eta = seeding ? OptionalLong.empty() : eta(remaining, fetchedBytes, elapsedMillis);
    return new CreationProgress(seeding, manifestsRemaining, remaining, eta);
  }

  /** Seconds to fetch {@code remaining} bytes at the average rate so far, rounded up; empty with no rate yet. */
  static OptionalLong eta(long remaining, long fetchedBytes, long elapsedMillis) {
    if (remaining == 0) return OptionalLong.of(0);
    if (fetchedBytes <= 0 || elapsedMillis <= 0) return OptionalLong.empty();
    double bytesPerMilli = (double) fetchedBytes / elapsedMillis;
    return OptionalLong.of((long) Math.ceil(remaining / bytesPerMilli / 1000.0));
  }
}
