package dev.meridian.core.clock;

/**
 * A hybrid logical clock reading: wall-clock milliseconds plus a logical counter that orders events
 * within one millisecond, or while the wall clock lags a timestamp already seen.
 */
public record HlcTimestamp(long physicalMillis, int logical) implements Comparable<HlcTimestamp> {
  public static final HlcTimestamp ZERO = new HlcTimestamp(0, 0);

  public HlcTimestamp {
    if (physicalMillis < 0) throw new IllegalArgumentException("physicalMillis < 0: " + physicalMillis);
    if (logical < 0) throw new IllegalArgumentException("logical < 0: " + logical);
  }

  @Override
  public int compareTo(HlcTimestamp o) {
    int c = Long.compare(physicalMillis, o.physicalMillis);
    return c != 0 ? c : Integer.compare(logical, o.logical);
  }

  /** {@code millis.logical}, e.g. {@code 1732700000000.3}: the form used in events and logs. */
  @Override
  public String toString() {
    return physicalMillis + "." + logical;
  }

  public static HlcTimestamp parse(String text) {
    int dot = text.indexOf('.');
    if (dot < 0) return new HlcTimestamp(Long.parseLong(text), 0);
    return new HlcTimestamp(Long.parseLong(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
  }
}
