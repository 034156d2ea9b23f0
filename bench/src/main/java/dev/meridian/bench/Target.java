package dev.meridian.bench;

import java.util.Locale;

/**
 * A target from the performance issue: either a ratio to the baseline measured in the same run (the only
 * fair comparison on a shared, noisy machine), or a bound on Meridian's own figure.
 */
public record Target(Kind kind, double bound) {
  /** What the bound applies to. */
  public enum Kind { RATIO_AT_LEAST, RATIO_AT_MOST, VALUE_AT_LEAST, VALUE_AT_MOST, NONE }

  public static final Target NONE = new Target(Kind.NONE, 0);

  public static Target ratioAtLeast(double bound) {
    return new Target(Kind.RATIO_AT_LEAST, bound);
  }

  /** For costs compared with a baseline (memory with a large blob over a small one): lower is better. */
  public static Target ratioAtMost(double bound) {
    return new Target(Kind.RATIO_AT_MOST, bound);
  }

  public static Target atLeast(double bound) {
    return new Target(Kind.VALUE_AT_LEAST, bound);
  }

  public static Target atMost(double bound) {
    return new Target(Kind.VALUE_AT_MOST, bound);
  }

  public boolean met(double meridian, Double ratio) {
    return switch (kind) {
      case RATIO_AT_LEAST -> ratio != null && ratio >= bound;
      case RATIO_AT_MOST -> ratio != null && ratio <= bound;
      case VALUE_AT_LEAST -> meridian >= bound;
      case VALUE_AT_MOST -> meridian <= bound;
      case NONE -> true;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case RATIO_AT_LEAST -> String.format(Locale.ROOT, ">= %.2fx", bound);
      case RATIO_AT_MOST -> String.format(Locale.ROOT, "<= %.2fx", bound);
      case VALUE_AT_LEAST -> String.format(Locale.ROOT, ">= %s", ResultTable.number(bound));
      case VALUE_AT_MOST -> String.format(Locale.ROOT, "<= %s", ResultTable.number(bound));
      case NONE -> "-";
    };
  }
}
