package dev.meridian.core.clock;

import java.util.regex.Pattern;

/**
 * A region's id, e.g. {@code eastus}: lower-case letters, digits and dashes, 1 to 63 characters. It breaks
 * ties between writes with equal HLC timestamps, so it lives next to the clock.
 */
public record RegionId(String value) implements Comparable<RegionId> {
  private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public RegionId {
    if (value == null || !GRAMMAR.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid region id '" + value + "': use 1-63 lower-case letters, digits and inner dashes");
    }
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
