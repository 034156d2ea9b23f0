package dev.meridian.agent.admin;

import dev.meridian.agent.replication.CreationProgress;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a {@link ReplicationSample} into a {@link RegionStatus}. Pure. In order: a region merging a peer's
 * snapshot is {@code creating} (it connects to the log only afterwards); an unreachable log or a stall makes the
 * region {@code degraded} (with the reason); a region fetching what its snapshot called for is {@code creating};
 * pending transfers or unreplayed records make it {@code syncing}; otherwise it is {@code ready}. A local outbox backlog alone does not make a region
 * syncing: it is the other regions that are behind on it, and they say so themselves.
 */
public final class RegionStatusPolicy {
  private RegionStatusPolicy() {}

  public static RegionStatus status(String id, String url, boolean routingEnabled, ReplicationSample sample,
      Optional<String> stall, Instant now) {
    RegionState state;
    Optional<String> reason;
    if (sample.creation().filter(CreationProgress::seeding).isPresent()) {
      state = RegionState.CREATING;
      reason = Optional.empty();
    } else if (!sample.logReachable()) {
      state = RegionState.DEGRADED;
      reason = Optional.of("event log unreachable" + sample.logError().map(e -> ": " + e).orElse(""));
    } else if (stall.isPresent()) {
      state = RegionState.DEGRADED;
      reason = stall;
    } else if (sample.creation().isPresent()) {
      state = RegionState.CREATING;
      reason = Optional.empty();
    } else if (sample.pendingTransfers() > 0 || sample.recordsBehind().orElse(0) > 0) {
      state = RegionState.SYNCING;
      reason = Optional.empty();
    } else {
      state = RegionState.READY;
      reason = Optional.empty();
    }
    double lag = sample.oldestPendingOriginMillis().stream()
        .mapToDouble(origin -> Math.max(0, now.toEpochMilli() - origin) / 1000.0)
        .findFirst().orElse(0);
    Optional<String> lastError = sample.lastError().or(sample::logError);
    return new RegionStatus(id, url, state, reason, routingEnabled, lag, sample.pendingTransfers(), sample.pendingBytes(),
        sample.outboxBacklog(), lastError, sample.eventsApplied(),
        state == RegionState.CREATING ? sample.creation() : Optional.empty());
  }
}
