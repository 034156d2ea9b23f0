package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

/**
 * A region as the operator manages its replication ({@code meridian replication ...}): the {@link Region}
 * itself, whether replication to it is enabled, and its place in the fleet's order.
 *
 * <p>A disabled region keeps its data and its place, but neither fetches content nor is asked for any, and
 * clients are not routed to it; enabling it again resumes where it stopped. The ordinal keeps the fleet order
 * (the default routing preference, the order of status lists) stable whatever order records arrive in.
 */
public record Replica(Region region, boolean enabled, int ordinal) {
  public Replica {
    requireNonNull(region, "region");
    if (ordinal < 0) throw new IllegalArgumentException("ordinal < 0: " + ordinal);
  }

  public dev.meridian.core.clock.RegionId id() {
    return region.id();
  }

  public Replica withRegion(Region changed) {
    return new Replica(changed, enabled, ordinal);
  }

  public Replica withEnabled(boolean on) {
    return new Replica(region, on, ordinal);
  }
}
