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
 * are left out; regions still joining the fleet ({@code creating}) come after all the others, whatever the
 * preference, so they get clients only when no ready region is up.
 *
 * <p>Pure: health comes in as a predicate; no I/O, no clock. The fleet may change between calls (the replicated
 * topology): each call routes among the regions it has then, and a preferred region no longer there is skipped.
 */
public final class RoutingPolicy {
  private final java.util.function.Supplier<Topology> fleet;
  private final List<RegionId> preference;
  private final List<ClientRange> ranges;

  public RoutingPolicy(Topology fleet, List<RegionId> preference, List<ClientRange> ranges) {
    this(constant(requireNonNull(fleet, "fleet")), preference, ranges);
  }

  private static java.util.function.Supplier<Topology> constant(Topology fleet) {
    return () -> fleet;
  }

  /** Routing among the regions {@code fleet} has at each call; the preferences are checked against its first answer. */
  public RoutingPolicy(java.util.function.Supplier<Topology> fleet, List<RegionId> preference, List<ClientRange> ranges) {
    this.fleet = requireNonNull(fleet, "fleet");
    Topology initial = fleet.get();
    this.preference = List.copyOf(preference);
    this.ranges = ranges.stream().sorted(Comparator.comparingInt((ClientRange r) -> r.block().prefixLength()).reversed()).toList();
    List<String> unknown = new ArrayList<>();
    for (RegionId id : this.preference) if (initial.region(id).isEmpty()) unknown.add(id.value());
    for (ClientRange range : this.ranges) {
      for (RegionId id : range.preference()) if (initial.region(id).isEmpty()) unknown.add(id.value());
    }
    if (!unknown.isEmpty()) throw new IllegalArgumentException("regions not in the fleet: " + String.join(", ", unknown));
  }

  /** The regions to try for a client at {@code client} (empty when unknown), in order. */
  public List<RegionId> order(Optional<InetAddress> client, Predicate<RegionId> up) {
    return order(client, up, region -> false);
  }

  /** The same, with the regions {@code creating} says are still joining moved to the end. */
  public List<RegionId> order(Optional<InetAddress> client, Predicate<RegionId> up, Predicate<RegionId> creating) {
    List<RegionId> routable = routable(client, up);
    List<RegionId> ordered = new ArrayList<>(routable.stream().filter(creating.negate()).toList());
    ordered.addAll(routable.stream().filter(creating).toList());
    return List.copyOf(ordered);
  }

  private List<RegionId> routable(Optional<InetAddress> client, Predicate<RegionId> up) {
    Topology fleet = this.fleet.get();
    Set<RegionId> ordered = new LinkedHashSet<>(client.flatMap(this::rangeFor).map(ClientRange::preference).orElse(preference));
    ordered.addAll(preference);
    for (Region region : fleet.regions()) ordered.add(region.id());
    List<RegionId> result = new ArrayList<>();
    for (RegionId id : ordered) {
      Optional<Region> region = fleet.region(id);
      if (region.isPresent() && region.get().routingEnabled() && up.test(id)) result.add(id);
    }
    return List.copyOf(result);
  }

  private Optional<ClientRange> rangeFor(InetAddress client) {
    return ranges.stream().filter(r -> r.block().contains(client)).findFirst();
  }
}
