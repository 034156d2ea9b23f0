package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.replication.CreationProgress;
import java.util.Optional;

/**
 * One region's status as {@code GET /admin/v1/region} reports it (DESIGN.md §8). {@code reason} says why a
 * region is {@code degraded}; {@code lastError} is the latest failure seen, which may be old news.
 *
 * @param storage what the region stores and garbage collection reclaimed (DESIGN.md §11)
 * @param lagSeconds how long the oldest manifest still pending here has been waiting, measured from the
 *     origin's HLC time of its write; 0 when nothing is pending
 * @param creation for a {@code creating} region: manifests and bytes still to fetch, and the estimated time left
 */
public record RegionStatus(
    String id,
    String url,
    RegionState state,
    Optional<String> reason,
    boolean routingEnabled,
    double lagSeconds,
    long pendingTransfers,
    long pendingBytes,
    long outboxBacklog,
    Optional<String> lastError,
    long eventsApplied,
    Optional<CreationProgress> creation,
    StorageStatus storage) {
  public RegionStatus {
    requireNonNull(creation, "creation");
    requireNonNull(storage, "storage");
    requireNonNull(id, "id");
    requireNonNull(url, "url");
    requireNonNull(state, "state");
    requireNonNull(reason, "reason");
    requireNonNull(lastError, "lastError");
    if (lagSeconds < 0) throw new IllegalArgumentException("lagSeconds < 0: " + lagSeconds);
  }

  /** A status of a region not being created, whose storage is not known (yet). */
  public RegionStatus(String id, String url, RegionState state, Optional<String> reason, boolean routingEnabled,
      double lagSeconds, long pendingTransfers, long pendingBytes, long outboxBacklog, Optional<String> lastError,
      long eventsApplied) {
    this(id, url, state, reason, routingEnabled, lagSeconds, pendingTransfers, pendingBytes, outboxBacklog, lastError,
        eventsApplied, Optional.empty(), StorageStatus.UNKNOWN);
  }

  /** A status whose storage is not known (yet). */
  public RegionStatus(String id, String url, RegionState state, Optional<String> reason, boolean routingEnabled,
      double lagSeconds, long pendingTransfers, long pendingBytes, long outboxBacklog, Optional<String> lastError,
      long eventsApplied, Optional<CreationProgress> creation) {
    this(id, url, state, reason, routingEnabled, lagSeconds, pendingTransfers, pendingBytes, outboxBacklog, lastError,
        eventsApplied, creation, StorageStatus.UNKNOWN);
  }

  /** A status of a region not being created. */
  public RegionStatus(String id, String url, RegionState state, Optional<String> reason, boolean routingEnabled,
      double lagSeconds, long pendingTransfers, long pendingBytes, long outboxBacklog, Optional<String> lastError,
      long eventsApplied, StorageStatus storage) {
    this(id, url, state, reason, routingEnabled, lagSeconds, pendingTransfers, pendingBytes, outboxBacklog, lastError,
        eventsApplied, Optional.empty(), storage);
  }

  /** The same status with this storage. */
  public RegionStatus withStorage(StorageStatus storage) {
    return new RegionStatus(id, url, state, reason, routingEnabled, lagSeconds, pendingTransfers, pendingBytes,
        outboxBacklog, lastError, eventsApplied, creation, storage);
  }

  /** The same with the state (and its reason) the topology imposes. */
  public RegionStatus withState(RegionState imposed, Optional<String> why) {
    return new RegionStatus(id, url, imposed, why, routingEnabled, lagSeconds, pendingTransfers, pendingBytes, outboxBacklog,
        lastError, eventsApplied, creation, storage);
  }

  /** A region that did not answer: degraded, with why, and nothing else known. */
  public static RegionStatus unreachable(String id, String url, boolean routingEnabled, String error) {
    return new RegionStatus(id, url, RegionState.DEGRADED, Optional.of("unreachable"), routingEnabled, 0, 0, 0, 0,
        Optional.of(error), 0);
  }
}
