package dev.meridian.agent.cli;

import dev.meridian.agent.admin.ManifestStatus;
import dev.meridian.agent.admin.ReplicationReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which regions {@code meridian wait --regions} waits for: {@code all}, a list of ids, or any {@code N}.
 * Pure: judges one {@link ReplicationReport} at a time.
 *
 * <p>Regions whose topology filter keeps the repository out ({@link ManifestStatus#EXCLUDED}) never hold it:
 * {@code all} means every other region, {@code N} counts among the other regions only, and naming an excluded
 * region is a selection that can never be met.
 */
sealed interface RegionSelection {
  /** Every region of the fleet that may hold the repository. */
  record All() implements RegionSelection {}

  /** These regions. */
  record Named(List<String> regions) implements RegionSelection {
    public Named {
      regions = List.copyOf(regions);
    }
  }

  /** Any {@code count} regions. */
  record AnyOf(int count) implements RegionSelection {}

  static RegionSelection parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) throw new IllegalArgumentException("--regions is empty: use all, ID,ID... or a number");
    if (t.equals("all")) return new All();
    if (t.chars().allMatch(Character::isDigit)) {
      int n;
      try {
        n = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--regions " + t + " is too large");
      }
      if (n < 1) throw new IllegalArgumentException("--regions must be at least 1, not " + t);
      return new AnyOf(n);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String id : t.split(",", -1)) {
      String trimmed = id.trim();
      if (trimmed.isEmpty()) throw new IllegalArgumentException("--regions '" + t + "' has an empty region id");
      ids.add(trimmed);
    }
    return new Named(new ArrayList<>(ids));
  }

  /**
   * A selection the fleet cannot satisfy (an unknown region, more regions than exist, a region or every region
   * excluded by the topology filter), or null.
   */
  default String impossibleIn(ReplicationReport report) {
    List<String> fleet = report.regions().stream().map(ReplicationReport.Entry::region).toList();
    List<String> excluded = report.regions().stream().filter(e -> e.status() == ManifestStatus.EXCLUDED)
        .map(ReplicationReport.Entry::region).toList();
    if (this instanceof Named named) {
      List<String> unknown = named.regions().stream().filter(r -> !fleet.contains(r)).toList();
      if (!unknown.isEmpty()) return "not in the fleet: " + String.join(", ", unknown) + " (regions: " + String.join(", ", fleet) + ")";
      List<String> out = named.regions().stream().filter(excluded::contains).toList();
      if (!out.isEmpty()) return String.join(", ", out) + (out.size() == 1 ? " excludes " : " exclude ") + report.repository()
          + " by " + (out.size() == 1 ? "its" : "their") + " topology filter: never held there";
    } else if (this instanceof AnyOf any && any.count() > fleet.size() - excluded.size()) {
      return "--regions " + any.count() + " but " + (excluded.isEmpty() ? "the fleet has " + fleet.size() + " region(s)"
          : "only " + (fleet.size() - excluded.size()) + " region(s) may hold " + report.repository() + " ("
              + String.join(", ", excluded) + " exclude" + (excluded.size() == 1 ? "s" : "") + " it by topology filter)");
    } else if (this instanceof All && !fleet.isEmpty() && excluded.size() == fleet.size()) {
      return "every region excludes " + report.repository() + " by its topology filter: nothing to wait for";
    }
    return null;
  }

  /** The selected regions that are not complete yet; empty when the wait is over. Excluded regions never count. */
  default List<ReplicationReport.Entry> missing(ReplicationReport report) {
    List<ReplicationReport.Entry> incomplete = report.regions().stream()
        .filter(e -> e.status() != ManifestStatus.COMPLETE && e.status() != ManifestStatus.EXCLUDED).toList();
    if (this instanceof Named named) {
      return incomplete.stream().filter(e -> named.regions().contains(e.region())).toList();
    }
    if (this instanceof AnyOf any) {
      long complete = report.regions().stream().filter(e -> e.status() == ManifestStatus.COMPLETE).count();
      return complete >= any.count() ? List.of() : incomplete;
    }
    return incomplete;
  }
}
