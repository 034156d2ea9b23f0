package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One region's storage as its status reports it: the bytes of published blobs as the last garbage collection
 * counted them, and what garbage collection reclaimed since the agent started.
 *
 * @param storedBytes bytes of blobs stored after the last collection (0 before the first)
 * @param reclaimedBytes blob and upload bytes deleted by collections since the agent started
 * @param lastCollection when the last collection (not a dry run) finished
 */
public record StorageStatus(long storedBytes, long reclaimedBytes, Optional<Instant> lastCollection) {
  /** Nothing known: a region that did not answer, or an agent without garbage collection. */
  public static final StorageStatus UNKNOWN = new StorageStatus(0, 0, Optional.empty());

  public StorageStatus {
    if (storedBytes < 0) throw new IllegalArgumentException("storedBytes < 0");
    if (reclaimedBytes < 0) throw new IllegalArgumentException("reclaimedBytes < 0");
    requireNonNull(lastCollection, "lastCollection");
  }
}
