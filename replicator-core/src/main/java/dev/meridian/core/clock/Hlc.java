package dev.meridian.core.clock;

import java.time.Clock;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014). {@link #tick()} stamps a local
 * write; {@link #observe(HlcTimestamp)} folds in a timestamp received from another region, so a write made
 * after seeing another region's write is always ordered after it, whatever the two wall clocks say.
 *
 * <p>Thread-safe. Time comes in as a {@link Clock} so that tests control it.
 */
public final class Hlc {
  private final Clock clock;
  private long physical;
  private int logical;

  public Hlc(Clock clock) {
    this.clock = clock;
  }

  /** The timestamp for a new local event: strictly greater than every timestamp issued or observed. */
  public synchronized HlcTimestamp tick() {
    long wall = clock.millis();
    if (wall > physical) {
      physical = wall;
      logical = 0;
    } else {
      logical = Math.addExact(logical, 1);
    }
    return new HlcTimestamp(physical, logical);
  }

  /** Advances past a timestamp received from elsewhere; returns the clock's new reading. */
  public synchronized HlcTimestamp observe(HlcTimestamp remote) {
    long wall = clock.millis();
    long max = Math.max(wall, Math.max(physical, remote.physicalMillis()));
    if (max == physical && max == remote.physicalMillis()) {
      logical = Math.addExact(Math.max(logical, remote.logical()), 1);
    } else if (max == physical) {
      logical = Math.addExact(logical, 1);
    } else if (max == remote.physicalMillis()) {
      logical = Math.addExact(remote.logical(), 1);
    } else {
      logical = 0;
    }
    physical = max;
    return new HlcTimestamp(physical, logical);
  }

  /** The last timestamp issued or observed, without ticking. */
  public synchronized HlcTimestamp current() {
    return new HlcTimestamp(physical, logical);
  }
}
