package dev.meridian.agent.replication;

import dev.meridian.topology.Topology;

/**
 * What a region does once it is in the fleet and before it starts replaying the log, e.g. seeding its state
 * from a peer's snapshot. While it runs the region's state is {@code creating}. It runs once per process, on
 * its own thread, each time replication starts for the first time in the process (so it decides itself, from
 * its own state, whether anything is left to do); an exception is logged and it runs again after a pause.
 * Replay then resumes from the offsets stored with the state, and because merging is order-free, events
 * also covered by a snapshot are harmless.
 */
@FunctionalInterface
public interface RegionBootstrap {
  RegionBootstrap NONE = fleet -> {};

  /**
   * @param fleet the regions replication is enabled for (this one included), as reached from here
   */
  void bootstrap(Topology fleet) throws Exception;
}
