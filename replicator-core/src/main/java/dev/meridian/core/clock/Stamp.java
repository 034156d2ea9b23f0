package dev.meridian.core.clock;

import static java.util.Objects.requireNonNull;

/**
 * Who wrote a register value and when: the total order every region uses to pick the same winner.
 * Higher HLC wins; on equal HLC the higher origin region id wins.
 */
public record Stamp(HlcTimestamp hlc, RegionId origin) implements Comparable<Stamp> {
  public Stamp {
    requireNonNull(hlc, "hlc");
    requireNonNull(origin, "origin");
  }

  @Override
  public int compareTo(Stamp o) {
    int c = hlc.compareTo(o.hlc);
    return c != 0 ? c : origin.compareTo(o.origin);
  }

  public boolean isAfter(Stamp o) {
    return compareTo(o) > 0;
  }
}
