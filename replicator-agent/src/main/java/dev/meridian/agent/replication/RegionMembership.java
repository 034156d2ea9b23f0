package dev.meridian.agent.replication;

import dev.meridian.topology.Replica;
import java.util.Optional;

/**
 * Where this region stands in the replicated topology, which decides whether it replicates. Only
 * {@link #ACTIVE} replays the log and fetches content; the others keep serving what they hold.
 */
public enum RegionMembership {
  /** Not in the fleet yet: waiting for {@code meridian replication create --region ID}. */
  WAITING,
  /** In the fleet, the {@link RegionBootstrap} running (e.g. seeding from a peer's snapshot). */
  CREATING,
  /** In the fleet and replicating. */
  ACTIVE,
  /** In the fleet with replication disabled: neither fetches nor is asked for content. */
  DISABLED,
  /** Deleted from the fleet while running: replication stopped, the data is left alone. */
  DELETED;

  /**
   * Pure: what the topology's record of this region (if any) makes of it.
   *
   * @param seen whether this process has seen the region in the fleet before (absent then means deleted)
   * @param bootstrapped whether the bootstrap hook has completed in this process
   */
  public static RegionMembership of(Optional<Replica> self, boolean seen, boolean bootstrapped) {
    if (self.isEmpty()) return seen ? DELETED : WAITING;
    if (!self.get().enabled()) return DISABLED;
    return bootstrapped ? ACTIVE : CREATING;
  }

  /**
   * Pure: whether the transfer worker runs. An active region fetches; so does a creating one while its seed's merge
   * goes on, finishing the jobs the merge commits page by page on the other core instead of after it (a million of
   * them when seeding from a million tags over a few shared images). Otherwise it pauses: jobs stay stored.
   */
  public boolean transfersRun(boolean seedMerging) {
    return this == ACTIVE || (this == CREATING && seedMerging);
  }
}
