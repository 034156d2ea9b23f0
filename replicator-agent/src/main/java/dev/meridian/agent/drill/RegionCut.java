package dev.meridian.agent.drill;

import dev.meridian.agent.admin.UnshippedWrite;
import dev.meridian.core.clock.RegionId;
import java.util.List;

/**
 * Cuts a region off from the fleet's replication and joins it again (the agent's
 * {@code /admin/v1/region/isolation}); the region keeps running and serving its own clients, as in a partition.
 */
public interface RegionCut {
  /** Cuts the region off; returns once its outbox holds exactly what has not reached the log. */
  void isolate(RegionId region);

  /** The writes the region acknowledged that have not reached the log, oldest first. */
  List<UnshippedWrite> unshipped(RegionId region);

  void reconnect(RegionId region);
}
