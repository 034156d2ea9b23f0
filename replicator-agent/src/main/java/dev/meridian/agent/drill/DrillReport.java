package dev.meridian.agent.drill;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a failover drill found.
 *
 * @param rpo image references whose writes the region had acknowledged but not shipped to the log at cut-over:
 *     what losing the region for good would have lost
 * @param rpoWrites how many writes (events, blob uploads included) those are
 * @param acknowledgedWhileOut references written to the region after cut-over (clients bypassing routing), not
 *     shipped until it came back
 * @param catchUp from reconnecting until the region's lag was under the threshold; empty if it never was
 * @param routingRestored whether the region was back in routing at the end: once caught up, or else at the end of
 *     the drill (then {@code catchUp} is empty and the drill failed)
 * @param divergent references the regions did not all serve alike at the end
 */
public record DrillReport(
    String region,
    List<String> regions,
    Instant startedAt,
    Instant cutOverAt,
    Instant reconnectedAt,
    Instant finishedAt,
    boolean drained,
    List<String> rpo,
    int rpoWrites,
    List<String> acknowledgedWhileOut,
    DrillWorkload.Result workload,
    Optional<Duration> catchUp,
    double lagAtRestoreSeconds,
    boolean routingRestored,
    boolean converged,
    List<String> divergent) {
  public DrillReport {
    requireNonNull(region, "region");
    regions = List.copyOf(regions);
    requireNonNull(startedAt, "startedAt");
    requireNonNull(cutOverAt, "cutOverAt");
    requireNonNull(reconnectedAt, "reconnectedAt");
    requireNonNull(finishedAt, "finishedAt");
    rpo = List.copyOf(rpo);
    acknowledgedWhileOut = List.copyOf(acknowledgedWhileOut);
    requireNonNull(workload, "workload");
    requireNonNull(catchUp, "catchUp");
    divergent = List.copyOf(divergent);
  }

  /** The drill passed: the region was drained, caught up and restored, clients saw no error, and the fleet converged. */
  public boolean passed() {
    return drained && catchUp.isPresent() && routingRestored && converged && workload.errors().isEmpty();
  }
}
