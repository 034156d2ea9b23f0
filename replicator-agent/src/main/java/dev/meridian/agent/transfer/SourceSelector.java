package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The order in which regions are asked for content: the origin (it wrote the content, so it has it), then
 * regions that acknowledged holding it completely, then every other region of the fleet, which may hold it
 * without having said so yet. Never this region itself, never a region outside the fleet (there is no
 * address to ask), and never a region whose circuit breaker is open.
 *
 * <p>Pure: no I/O, no clock. Replicas are taken in fleet order so that every run asks in the same order. The
 * fleet may change between calls (the replicated topology): each call orders the regions it has then.
 */
public final class SourceSelector {
  private final RegionId self;
  private final Supplier<List<RegionId>> fleet;

  public SourceSelector(RegionId self, List<RegionId> fleet) {
    this(self, constant(List.copyOf(fleet)));
  }

  /** With the fleet read at each call: the regions that may be asked now. */
  public SourceSelector(RegionId self, Supplier<List<RegionId>> fleet) {
    this.self = requireNonNull(self, "self");
    this.fleet = requireNonNull(fleet, "fleet");
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
    return List.copyOf(result);
  }
}
