package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One reading of a region's replication machinery, taken by {@link RegionMonitor}; the raw input of
 * {@link RegionStatusPolicy}.
 *
 * @param logReachable whether the region is connected to the event log and its relay is not failing
 * @param logError why the log is unreachable, when it is
 * @param pendingTransfers transfer jobs waiting (manifests and prefetched blobs)
 * @param pendingBytes the sizes the pending jobs announced (0 for a job whose size was not known)
 * @param oldestPendingOriginMillis the origin's HLC wall time of the oldest pending manifest, if any
 * @param outboxBacklog local events not yet acknowledged by the log
 * @param recordsBehind log records not yet replayed here, when the consumer knows
 * @param eventsApplied log records applied since start
 * @param progress a number that grows whenever anything moves (events applied, bytes fetched, jobs done,
 *     events shipped); the stall detector watches it
 * @param lastError the most recent failure of the relay or a transfer, if any
 * @param creation how far a region joining the fleet is from holding its content; empty once joined
 */
public record ReplicationSample(
    boolean logReachable,
    Optional<String> logError,
    long pendingTransfers,
    long pendingBytes,
    OptionalLong oldestPendingOriginMillis,
    long outboxBacklog,
    OptionalLong recordsBehind,
    long eventsApplied,
    long progress,
    Optional<String> lastError,
    Optional<dev.meridian.agent.replication.CreationProgress> creation) {
  public ReplicationSample {
    requireNonNull(creation, "creation");
    requireNonNull(logError, "logError");
    requireNonNull(oldestPendingOriginMillis, "oldestPendingOriginMillis");
    requireNonNull(recordsBehind, "recordsBehind");
    requireNonNull(lastError, "lastError");
    if (pendingTransfers < 0 || pendingBytes < 0 || outboxBacklog < 0 || eventsApplied < 0) {
      throw new IllegalArgumentException("negative count in " + pendingTransfers + "/" + pendingBytes + "/" + outboxBacklog);
    }
  }

  /** A region that is not joining the fleet. */
  public ReplicationSample(boolean logReachable, Optional<String> logError, long pendingTransfers, long pendingBytes,
      OptionalLong oldestPendingOriginMillis, long outboxBacklog, OptionalLong recordsBehind, long eventsApplied,
      long progress, Optional<String> lastError) {
    this(logReachable, logError, pendingTransfers, pendingBytes, oldestPendingOriginMillis, outboxBacklog, recordsBehind,
        eventsApplied, progress, lastError, Optional.empty());
  }

  /** A standalone region: no log, nothing ever pending. */
  public static ReplicationSample standalone() {
    return new ReplicationSample(true, Optional.empty(), 0, 0, OptionalLong.empty(), 0, OptionalLong.empty(), 0, 0,
        Optional.empty());
  }

  /** Whether anything waits to be done: transfers, replay, or events to ship. */
  public boolean workPending() {
    return pendingTransfers > 0 || outboxBacklog > 0 || recordsBehind.orElse(0) > 0;
  }
}
