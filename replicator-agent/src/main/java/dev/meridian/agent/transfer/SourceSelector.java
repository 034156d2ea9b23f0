package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.Supplier;

/**
 * The order in which regions are asked for content: cheapest first, by the topology's transfer cost from the
 * source to this region ({@link Topology#cost}). Among regions of equal cost: the origin (it wrote the content, so
 * it has it), then regions that acknowledged holding it completely, then every other region of the fleet, which
 * may hold it without having said so yet. Never this region itself, never a region outside the fleet (there is no
 * address to ask), and never a region whose circuit breaker is open.
 *
 * <p>Surprising: a cheap region that is not known to hold the content is asked before an expensive origin. It
 * answers 404 at worst (an answer, not a failure: the next region is asked at once), and often it holds the
 * content already, since regions replicate at the same time; copying between nearby regions is what costs are
 * for.
 *
 * <p>Pure: no I/O, no clock. Replicas are taken in fleet order so that every run asks in the same order. The
 * fleet and its costs may change between calls (the replicated topology): each call orders the regions it has then.
 */
public final class SourceSelector {
  private final RegionId self;
  private final Supplier<List<RegionId>> fleet;
  private final ToIntFunction<RegionId> costToSelf;

  /** A fleet in which every region costs the same. */
  public SourceSelector(RegionId self, List<RegionId> fleet) {
    this(self, constant(List.copyOf(fleet)), region -> Topology.DEFAULT_COST);
  }

  /** @param costToSelf what copying from a region to {@code self} costs */
  public SourceSelector(RegionId self, List<RegionId> fleet, ToIntFunction<RegionId> costToSelf) {
    this(self, constant(List.copyOf(fleet)), costToSelf);
  }

  /** With the fleet read at each call (the regions that may be asked now) and what copying from each costs. */
  public SourceSelector(RegionId self, Supplier<List<RegionId>> fleet, ToIntFunction<RegionId> costToSelf) {
    this.self = requireNonNull(self, "self");
    this.fleet = requireNonNull(fleet, "fleet");
    this.costToSelf = requireNonNull(costToSelf, "costToSelf");
  }

  /** The selector of {@code self} in {@code topology}, with its costs. */
  public static SourceSelector of(RegionId self, Topology topology) {
    return new SourceSelector(self, topology.regions().stream().map(Region::id).toList(), source -> topology.cost(source, self));
  }

  /** The selector of {@code self} following the live fleet: its enabled regions and their current costs. */
  public static SourceSelector of(RegionId self, LiveTopology topology) {
    return new SourceSelector(self, () -> topology.active().regions().stream().map(Region::id).toList(),
        source -> topology.current().cost(source, self));
  }

  private static Supplier<List<RegionId>> constant(List<RegionId> fleet) {
    return () -> fleet;
  }

  /**
   * @param origin the region that wrote the content
   * @param replicas regions known to hold it completely
   * @param unavailable regions to skip now (their circuit breaker is open)
   */
  public List<RegionId> order(RegionId origin, Set<RegionId> replicas, Predicate<RegionId> unavailable) {
    List<RegionId> fleet = this.fleet.get();
    Set<RegionId> ordered = new LinkedHashSet<>();
    if (fleet.contains(origin)) ordered.add(origin);
    for (RegionId region : fleet) {
      if (replicas.contains(region)) ordered.add(region);
    }
    ordered.addAll(fleet);
    ordered.remove(self);
    List<RegionId> result = new ArrayList<>(ordered.size());
    for (RegionId region : ordered) {
      if (!unavailable.test(region)) result.add(region);
    }
    result.sort(Comparator.comparingInt(costToSelf)); // stable: equal costs keep the order above
    return List.copyOf(result);
  }
}
