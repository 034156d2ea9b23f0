package dev.meridian.bench;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One row of the table: Meridian's median and, where there is one, the baseline's median from the same run.
 * {@code ratio} is Meridian over baseline for throughputs (higher is better), so 1.2 means 20% faster.
 */
public record Result(
    String scenario, String metric, String unit, double meridian, Optional<Double> baseline, String baselineName,
    Target target, int repetitions) {
  public Result {
    requireNonNull(scenario, "scenario");
    requireNonNull(metric, "metric");
    requireNonNull(unit, "unit");
    requireNonNull(baseline, "baseline");
    requireNonNull(baselineName, "baselineName");
    requireNonNull(target, "target");
  }

  /** A throughput compared with a baseline: the medians of both series. */
  public static Result compared(String scenario, String metric, String unit, List<Double> meridian,
      List<Double> baseline, String baselineName, Target target) {
    return new Result(scenario, metric, unit, Stats.median(meridian), Optional.of(Stats.median(baseline)),
        baselineName, target, meridian.size());
  }

  /** Meridian alone, with a bound on its own figure (or none). */
  public static Result alone(String scenario, String metric, String unit, double value, Target target, int repetitions) {
    return new Result(scenario, metric, unit, value, Optional.empty(), "", target, repetitions);
  }

  public Optional<Double> ratio() {
    return baseline.filter(b -> b > 0).map(b -> meridian / b);
  }

  public boolean passed() {
    return target.met(meridian, ratio().orElse(null));
  }
}
