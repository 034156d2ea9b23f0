package dev.meridian.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and nearest-rank percentiles of repeated measurements. */
public final class Stats {
  private Stats() {}

  /** The middle value; the mean of the middle two for an even count. */
  public static double median(List<Double> values) {
    if (values.isEmpty()) throw new IllegalArgumentException("no values");
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The nearest-rank percentile: always one of the measured values. */
  public static double percentile(List<Double> values, double percent) {
    if (values.isEmpty()) throw new IllegalArgumentException("no values");
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    if (percent >= 100) return sorted.get(sorted.size() - 1);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  public static double max(List<Double> values) {
    return Collections.max(values);
  }
}
