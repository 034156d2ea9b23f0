package dev.meridian.agent.frontdoor;

import dev.meridian.core.clock.RegionId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Regions an operator took out of this front door's routing (a drain, e.g. for a failover drill), on top of
 * the fleet file's {@code routingEnabled}. Held in memory by one front door: a restart forgets it, and other
 * front doors of the fleet do not see it (replicated routing changes belong to the topology).
 */
public final class RoutingOverrides {
  private final Set<RegionId> drained = ConcurrentHashMap.newKeySet();

  /** Takes {@code region} out of routing; upload sessions already there may still finish. */
  public void drain(RegionId region) {
    drained.add(region);
  }

  /** Puts {@code region} back into routing (if the fleet file routes to it). */
  public void restore(RegionId region) {
    drained.remove(region);
  }

  public boolean drained(RegionId region) {
    return drained.contains(region);
  }
}
