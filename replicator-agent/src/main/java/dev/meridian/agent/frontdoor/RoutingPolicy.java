package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which regions the front door sends a client to, best first: the client's range preference if its address
 * is in one (the most specific block wins), else the configured preference, then every other region of the
 * fleet in fleet order as a last resort. Regions with {@code routingEnabled: false} and regions that are down
 * are left out.
 *
 * <p>Pure: health comes in as a predicate; no I/O, no clock.
 */
public final class RoutingPolicy {
  private final Topology fleet;
  private final List<RegionId> preference;
  private final List<ClientRange> ranges;

  public RoutingPolicy(Topology fleet, List<RegionId> preference, List<ClientRange> ranges) {
    this.fleet = requireNonNull(fleet, "fleet");
    this.preference = List.copyOf(preference);
    this.ranges = ranges.stream().sorted(Comparator.comparingInt((ClientRange r) -> r.block().prefixLength()).reversed()).toList();
    List<String> unknown = new ArrayList<>();
    for (RegionId id : this.preference) if (fleet.region(id).isEmpty()) unknown.add(id.value());
    for (ClientRange range : this.ranges) {
      for (RegionId id : range.preference()) if (fleet.region(id).isEmpty()) unknown.add(id.value());
    }
    if (!unknown.isEmpty()) throw new IllegalArgumentException("regions not in the fleet: " + String.join(", ", unknown));
  }

  /** The regions to try for a client at {@code client} (empty when unknown), in order. */
  public List<RegionId> order(Optional<InetAddress> client, Predicate<RegionId> up) {
    Set<RegionId> ordered = new LinkedHashSet<>(client.flatMap(this::rangeFor).map(ClientRange::preference).orElse(preference));
    ordered.addAll(preference);
    for (Region region : fleet.regions()) ordered.add(region.id());
    List<RegionId> result = new ArrayList<>();
    for (RegionId id : ordered) {
      Region region = fleet.requireRegion(id);
      if (region.routingEnabled() && up.test(id)) result.add(id);
    }
    return List.copyOf(result);
  }

  private Optional<ClientRange> rangeFor(InetAddress client) {
    return ranges.stream().filter(r -> r.block().contains(client)).findFirst();
  }
}
