package dev.meridian.agent.replication;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.transfer.PeerClients;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.state.RegistryState;
import dev.meridian.topology.Topology;

/**
 * What a region does once it is in the fleet and before it starts replaying the log, e.g. seeding its state
 * from a peer's snapshot. While it runs the region's state is {@code creating}. It runs on its own thread each
 * time replication is about to start for the first time in the process (so it decides itself, from its own
 * state, whether anything is left to do); an exception is logged and it runs again after a pause. Replay then
 * resumes from the offsets stored with the state, and because merging is order-free, events also covered by
 * a snapshot are harmless.
 */
@FunctionalInterface
public interface RegionBootstrap {
  RegionBootstrap NONE = context -> {};

  void bootstrap(Context context) throws Exception;

  /**
   * What a bootstrap works with.
   *
   * @param fleet the regions replication is enabled for (this one included), as reached from here
   * @param state this region's state without the outbox: what is written here emits no events
   * @param peers clients of the other regions' OCI API
   */
  record Context(RegionId self, Topology fleet, RegistryState state, BlobStore blobs, Hlc hlc, PeerClients peers) {
    public Context {
      requireNonNull(self, "self");
      requireNonNull(fleet, "fleet");
      requireNonNull(state, "state");
      requireNonNull(blobs, "blobs");
      requireNonNull(hlc, "hlc");
      requireNonNull(peers, "peers");
    }
  }
}
