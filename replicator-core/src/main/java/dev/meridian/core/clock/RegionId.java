package dev.meridian.core.clock;

import dev.meridian.core.text.AsciiGrammar;

/**
 * A region's id, e.g. {@code eastus}: lower-case letters, digits and dashes, 1 to 63 characters. It breaks
 * ties between writes with equal HLC timestamps, so it lives next to the clock.
 */
public record RegionId(String value) implements Comparable<RegionId> {
  private static final AsciiGrammar.CharClass INNER = AsciiGrammar.lowerAlnumAnd("-");

  public RegionId {
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "invalid region id '" + value + "': use 1-63 lower-case letters, digits and inner dashes");
    }
  }

  /** {@code [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?}: no leading or trailing dash. */
  static boolean isValid(String value) {
    return AsciiGrammar.matches(value, AsciiGrammar.LOWER_ALNUM, INNER, 0, 62)
        && AsciiGrammar.LOWER_ALNUM.contains(value.charAt(value.length() - 1));
  }

  /**
   * Written out, not the record's generated one, which goes through method handles that are slow until C2 compiles
   * them: it showed in a restarted region's replay profile, which compares and hashes these for every event.
   */
  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof RegionId o && value.equals(o.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(RegionId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
