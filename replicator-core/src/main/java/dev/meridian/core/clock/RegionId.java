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

  @Override
  public int compareTo(RegionId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
