package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;

/**
 * One change of the replicated topology, as one record of the topology topic carries it: a region created
 * or changed (the whole region, so the latest record of a region is all there is to know), a region
 * deleted, or the fleet's settings.
 */
public sealed interface TopologyChange {
  /** A region created or changed: the record's value is the whole of it. */
  record RegionPut(Replica replica) implements TopologyChange {
    public RegionPut {
      requireNonNull(replica, "replica");
    }
  }

  /** A region deleted (a tombstone). */
  record RegionDeleted(RegionId region) implements TopologyChange {
    public RegionDeleted {
      requireNonNull(region, "region");
    }
  }

  /** The fleet's settings. */
  record SettingsPut(FleetSettings settings) implements TopologyChange {
    public SettingsPut {
      requireNonNull(settings, "settings");
    }
  }
}
