package dev.meridian.bench.harness;

/** Values read from an agent's {@code /metrics} page (the Prometheus text format). */
public final class PrometheusText {
  private PrometheusText() {}

  /** The sum of the values of the series named {@code prefix...} whose labels contain {@code label}. */
  public static long sum(String metrics, String prefix, String label) {
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix) && line.contains(label)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) total;
  }

  /** The milliseconds the agent's JIT compilers have spent so far ({@code jvm_compilation_time_ms_total}). */
  public static long compilationMillis(String metrics) {
    return sum(metrics, "jvm_compilation_time_ms_total", "");
  }
}
