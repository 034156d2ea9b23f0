package dev.meridian.agent.admin;

import java.util.Locale;

/**
 * What an operator needs to know about a region at a glance: being created, caught up, catching up, in
 * trouble, or with replication disabled.
 */
public enum RegionState {
  /**
   * Not in the fleet yet, or joining it: waiting for {@code replication create}, or seeding itself from a peer's
   * snapshot and fetching that content (DESIGN.md §7).
   */
  CREATING,
  /** Nothing pending: every manifest this region knows of is servable here. */
  READY,
  /** Transfers are pending or replay is behind the log; progress is being made. */
  SYNCING,
  /** The log is unreachable, or work is pending and nothing moved for the stall threshold. */
  DEGRADED,
  /** Replication disabled (or the region deleted from the fleet): it neither fetches nor is asked for content. */
  DISABLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RegionState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
