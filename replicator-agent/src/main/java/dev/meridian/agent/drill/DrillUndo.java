package dev.meridian.agent.drill;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.UnshippedWrite;
import dev.meridian.core.clock.RegionId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers what a drill has cut off and drained, by wrapping its {@link RegionCut} and {@link RoutingControl}, so
 * that a drill stopped from outside (Ctrl-C, SIGTERM: its own failure handling never runs) can still be undone
 * from a shutdown hook ({@link #undo}). A drain through the replicated topology outlives the process; left behind
 * it would keep the region out of routing for good.
 */
public final class DrillUndo {
  private final Set<RegionId> isolated = ConcurrentHashMap.newKeySet();
  private final Set<RegionId> drained = ConcurrentHashMap.newKeySet();
  private final RegionCut cut;
  private final RoutingControl routing;

  public DrillUndo(RegionCut cut, RoutingControl routing) {
    this.cut = requireNonNull(cut, "cut");
    this.routing = requireNonNull(routing, "routing");
  }

  /** The cut to give the drill: isolations are remembered until reconnected. */
  public RegionCut cut() {
    return new RegionCut() {
      @Override
      public void isolate(RegionId region) {
        isolated.add(region); // first: a failed call may still have taken effect
        cut.isolate(region);
      }

      @Override
      public List<UnshippedWrite> unshipped(RegionId region) {
        return cut.unshipped(region);
      }

      @Override
      public void reconnect(RegionId region) {
        cut.reconnect(region);
        isolated.remove(region);
      }
    };
  }

  /** The routing to give the drill: drains are remembered until restored. */
  public RoutingControl routing() {
    return new RoutingControl() {
      @Override
      public boolean isEnabled(RegionId region) {
        return routing.isEnabled(region);
      }

      @Override
      public void disable(RegionId region) {
        drained.add(region);
        routing.disable(region);
      }

      @Override
      public void enable(RegionId region) {
        routing.enable(region);
        drained.remove(region);
      }
    };
  }

  /** Reconnects and restores whatever is still cut off or drained; returns what it could not, one line each. */
  public List<String> undo() {
    List<String> failures = new java.util.ArrayList<>();
    for (RegionId region : List.copyOf(isolated)) {
      try {
        cut.reconnect(region);
        isolated.remove(region);
      } catch (RuntimeException e) {
        failures.add("could not reconnect " + region + ": " + e.getMessage());
      }
    }
    for (RegionId region : List.copyOf(drained)) {
      try {
        routing.enable(region);
        drained.remove(region);
      } catch (RuntimeException e) {
        failures.add("could not restore the routing of " + region + ": " + e.getMessage());
      }
    }
    return failures;
  }
}
