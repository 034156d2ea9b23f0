package dev.meridian.agent.drill;

import dev.meridian.core.clock.RegionId;

/**
 * Takes a region out of client routing and puts it back: through the replicated topology, for every front door
 * and region at once ({@link TopologyRoutingControl}), or through one front door's own admin API
 * ({@link FrontDoorRoutingControl}). The changes are idempotent and return once the change is in effect.
 */
public interface RoutingControl {
  /** Whether clients are routed to {@code region} now (a drill refuses a region someone already took out). */
  boolean isEnabled(RegionId region);

  void disable(RegionId region);

  void enable(RegionId region);
}
