package dev.meridian.agent.drill;

import dev.meridian.core.clock.RegionId;

/**
 * Takes a region out of client routing and puts it back. Today the front door's own admin API does it
 * ({@link FrontDoorRoutingControl}); a replicated topology change can do it for every front door at once.
 * Both calls are idempotent and return once the change is in effect.
 */
public interface RoutingControl {
  void disable(RegionId region);

  void enable(RegionId region);
}
