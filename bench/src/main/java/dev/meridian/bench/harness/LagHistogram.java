package dev.meridian.bench.harness;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A region's {@code meridian_replication_lag_seconds} histogram as {@code /metrics} shows it: for each bucket's
 * upper bound ({@code le}, seconds) the number of replicated manifests completed here within it, counted since the
 * agent started. The agent records one per manifest replicated from {@code origin}, from the origin's write (the
 * physical part of the event's clock) to the manifest being complete here. Two scrapes bracket a window:
 * {@link #minus} leaves the window's manifests alone.
 *
 * @param buckets cumulative counts by upper bound, {@code +Inf} last
 */
public record LagHistogram(Map<Double, Long> buckets) {
  private static final Pattern BUCKET = Pattern.compile(
      "(?m)^meridian_replication_lag_seconds_bucket\\{([^}]*)} ([0-9.eE+]+)$");
  private static final Pattern LE = Pattern.compile("(?:^|,)le=\"([^\"]+)\"");

  public LagHistogram {
    buckets = Collections.unmodifiableNavigableMap(new TreeMap<>(buckets)); // iterated by bound, lowest first
    long below = 0;
    for (long count : buckets.values()) {
      if (count < below) throw new IllegalArgumentException("bucket counts must not fall as bounds rise: " + buckets);
      below = count;
    }
  }

  /** The buckets of the manifests replicated from {@code origin}, read from a {@code /metrics} page. */
  public static LagHistogram parse(String metrics, String origin) {
    var buckets = new TreeMap<Double, Long>();
    Matcher m = BUCKET.matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      if (!labels.contains("origin=\"" + origin + "\"")) continue;
      Matcher le = LE.matcher(labels);
      if (!le.find()) continue;
      double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
      buckets.merge(bound, (long) Double.parseDouble(m.group(2)), Long::sum);
    }
    return new LagHistogram(buckets);
  }

  /** How many manifests it counts. */
  public long count() {
    return buckets.isEmpty() ? 0 : ((NavigableMap<Double, Long>) buckets).lastEntry().getValue();
  }

  /** What was counted since {@code earlier} (a scrape of the same agent before this one). */
  public LagHistogram minus(LagHistogram earlier) {
    var delta = new TreeMap<Double, Long>();
    buckets.forEach((bound, count) -> delta.put(bound, count - earlier.buckets.getOrDefault(bound, 0L)));
    return new LagHistogram(delta);
  }

  /** Both histograms' counts together (two regions' windows: the agents use the same bounds). */
  public LagHistogram plus(LagHistogram other) {
    var sum = new TreeMap<Double, Long>(buckets);
    other.buckets.forEach((bound, count) -> sum.merge(bound, count, Long::sum));
    return new LagHistogram(sum);
  }

  /**
   * The {@code p}th percentile in milliseconds, interpolated linearly within its bucket (the bounds are about a
   * quarter apart: 5.6, 7.0, 8.4 ms...); the highest finite bound when it falls in {@code +Inf}; 0 when empty.
   */
  public double percentileMillis(double p) {
    long total = count();
    if (total == 0) return 0;
    double rank = Math.max(1, Math.ceil(p / 100 * total));
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> bucket : buckets.entrySet()) {
      long cumulative = bucket.getValue();
      if (cumulative >= rank) {
        if (bucket.getKey().isInfinite()) return lower * 1000;
        double within = (rank - below) / (cumulative - below);
        return (lower + within * (bucket.getKey() - lower)) * 1000;
      }
      lower = bucket.getKey();
      below = cumulative;
    }
    return lower * 1000;
  }

  /** The upper bound (ms) of the highest bucket that counts anything: the largest lag is at most this. */
  public double maxMillis() {
    double lower = 0;
    long below = 0;
    double top = 0;
    for (Map.Entry<Double, Long> bucket : buckets.entrySet()) {
      if (bucket.getValue() > below) top = bucket.getKey().isInfinite() ? lower : bucket.getKey();
      lower = bucket.getKey();
      below = bucket.getValue();
    }
    return top * 1000;
  }
}
