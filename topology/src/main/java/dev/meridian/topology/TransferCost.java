package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;

/**
 * What copying content from region {@code from} to region {@code to} costs, in the fleet's own unit (money,
 * latency, anything comparable): regions copy from the cheapest region that holds the content. A pair given in
 * one direction only costs the same both ways; see {@link Topology#cost}.
 */
public record TransferCost(RegionId from, RegionId to, int cost) {
  /** Costs are compared and added, never multiplied: a generous bound that no sum overflows. */
  public static final int MAX_COST = 1_000_000;

  public TransferCost {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (from.equals(to)) throw new IllegalArgumentException("a region's cost to itself is always 0: " + from);
    if (cost < 0) throw new IllegalArgumentException("cost " + cost + " from " + from + " to " + to + " is negative");
  }
}
