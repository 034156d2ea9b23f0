package dev.meridian.agent.drill;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.util.List;
import java.util.Optional;

/** What the drill reads of the fleet: each region's replication status and what it serves, asked of it alone. */
public interface FleetView {
  /** One region's replication status, as {@code GET /admin/v1/region} reports it. */
  record RegionSnapshot(String state, double lagSeconds, long pendingTransfers, long outboxBacklog) {
    public RegionSnapshot {
      requireNonNull(state, "state");
    }
  }

  List<RegionId> regions();

  RegionSnapshot status(RegionId region);

  /** The manifest digest {@code region} itself serves for {@code repository:tag} (no read-through), if any. */
  Optional<String> resolve(RegionId region, String repository, String tag);
}
