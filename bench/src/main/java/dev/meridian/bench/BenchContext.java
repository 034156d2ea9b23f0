package dev.meridian.bench;

import dev.meridian.bench.harness.MeridianJar;
import dev.meridian.bench.harness.Workspace;
import java.io.PrintStream;

/**
 * What every scenario gets: the agent jar, the scratch workspace, the repetition count and whether this is
 * a {@code --quick} smoke run (tiny sizes: it proves the harness works, its numbers mean nothing).
 */
public record BenchContext(MeridianJar jar, Workspace workspace, boolean quick, int repetitions, PrintStream progress) {
  public BenchContext {
    if (repetitions < 1) throw new IllegalArgumentException("repetitions must be at least 1");
  }

  /** {@code full} for a real run, {@code small} with {@code --quick}. */
  public long size(long full, long small) {
    return quick ? small : full;
  }

  public void log(String format, Object... args) {
    progress.printf("[bench] " + format + "%n", args);
    progress.flush();
  }
}
