package dev.meridian.agent.admin;

import java.util.Locale;

/**
 * What an operator needs to know about a region at a glance. {@code disabled} of the topology work is not
 * produced yet: a region here is being created, caught up, catching up, or in trouble.
 */
public enum RegionState {
  /** A new region seeding itself from a peer's snapshot, then fetching that content (DESIGN.md §7). */
  CREATING,
  /** Nothing pending: every manifest this region knows of is servable here. */
  READY,
  /** Transfers are pending or replay is behind the log; progress is being made. */
  SYNCING,
  /** The log is unreachable, or work is pending and nothing moved for the stall threshold. */
  DEGRADED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RegionState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
