package dev.meridian.topology;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.TopologyValidator.RawCost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of the fleet file's {@code costs}: known fields, both regions in the fleet and distinct, a cost in
 * range, and each direction of a pair given at most once (a pair given in both directions is asymmetric, not a
 * duplicate).
 */
final class CostRules {
  private static final Set<String> COST_FIELDS = Set.of("from", "to", "cost");
  static final int MAX_COST = TransferCost.MAX_COST;

  private CostRules() {}

  static List<TransferCost> costs(List<RawCost> rawCosts, Set<String> regionIds, List<String> violations) {
    List<TransferCost> costs = new ArrayList<>();
    Set<String> pairs = new HashSet<>();
    for (int i = 0; i < rawCosts.size(); i++) {
      RawCost c = rawCosts.get(i);
      if (c == null) continue;
      String where = "costs[" + i + "]" + (c.from() != null && c.to() != null ? " (" + c.from() + " -> " + c.to() + ")" : "");
      for (String f : c.fields()) {
        if (!COST_FIELDS.contains(f)) violations.add(where + ": unknown field '" + f + "' (known: from, to, cost)");
      }
      boolean ok = knownRegion(c.from(), "from", where, regionIds, violations);
      ok &= knownRegion(c.to(), "to", where, regionIds, violations);
      if (ok && c.from().equals(c.to())) {
        violations.add(where + ": from and to are the same region (a region's cost to itself is always 0)");
        ok = false;
      }
      if (ok && !pairs.add(c.from() + "\u0000" + c.to())) {
        violations.add(where + ": duplicate cost from " + c.from() + " to " + c.to());
        ok = false;
      }
      Integer cost = null;
      if (c.cost() == null) {
        violations.add(where + ": cost missing (a whole number 0.." + MAX_COST + ")");
      } else {
        try {
          cost = Integer.parseInt(c.cost());
          if (cost < 0 || cost > MAX_COST) {
            violations.add(where + ": cost " + cost + " is out of range 0.." + MAX_COST + (cost < 0 ? " (negative)" : ""));
            cost = null;
          }
        } catch (NumberFormatException e) {
          violations.add(where + ": cost '" + c.cost() + "' is not a whole number");
        }
      }
      if (ok && cost != null) costs.add(new TransferCost(new RegionId(c.from()), new RegionId(c.to()), cost));
    }
    return costs;
  }

  private static boolean knownRegion(String id, String field, String where, Set<String> regionIds, List<String> violations) {
    if (id == null) {
      violations.add(where + ": " + field + " missing (a region id)");
      return false;
    }
    if (!regionIds.contains(id)) {
      violations.add(where + ": " + field + " '" + id + "' is not a region of the fleet");
      return false;
    }
    return true;
  }
}
