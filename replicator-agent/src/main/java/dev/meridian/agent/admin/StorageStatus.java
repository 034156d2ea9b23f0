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
 * @param usedBytes what the registry's present manifests reference, each blob once (what quotas count)
 * @param quotaBytes the registry's storage quota, if any
 */
public record StorageStatus(long storedBytes, long reclaimedBytes, Optional<Instant> lastCollection, long usedBytes,
    Optional<Long> quotaBytes) {
  /** Nothing known: a region that did not answer, or an agent without garbage collection. */
  public static final StorageStatus UNKNOWN = new StorageStatus(0, 0, Optional.empty(), 0, Optional.empty());

  public StorageStatus(long storedBytes, long reclaimedBytes, Optional<Instant> lastCollection) {
    this(storedBytes, reclaimedBytes, lastCollection, 0, Optional.empty());
  }

  /** The same with the quota's view. */
  public StorageStatus withUsage(long used, Optional<Long> quota) {
    return new StorageStatus(storedBytes, reclaimedBytes, lastCollection, used, quota);
  }

  public StorageStatus {
    if (storedBytes < 0) throw new IllegalArgumentException("storedBytes < 0");
    if (reclaimedBytes < 0) throw new IllegalArgumentException("reclaimedBytes < 0");
    requireNonNull(lastCollection, "lastCollection");
    requireNonNull(quotaBytes, "quotaBytes");
  }
}
