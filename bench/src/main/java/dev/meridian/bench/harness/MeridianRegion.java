package dev.meridian.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One region agent process ({@code meridian serve}), standalone or a member of a fleet. */
public final class MeridianRegion implements Registry {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final String region;
  private final int port;
  private final ChildProcess process;

  private MeridianRegion(String region, int port, ChildProcess process) {
    this.region = region;
    this.port = port;
    this.process = process;
  }

  /** A standalone region on a free port; returns once {@code /readyz} answers 200. */
  public static MeridianRegion standalone(MeridianJar jar, String region, Path dataDir, Path logs, List<String> jvmOptions) {
    int port = FreePort.pick();
    return start(jar, region, port, jvmOptions, logs, "serve", "--region", region, "--port", Integer.toString(port),
        "--data-dir", dataDir.toString());
  }

  /** A fleet member on the port its URL in {@code fleet} names; returns once {@code /readyz} answers 200. */
  public static MeridianRegion member(MeridianJar jar, Fleet fleet, String region, Path dataDir, Path logs, List<String> jvmOptions) {
    return start(jar, region, fleet.port(region), jvmOptions, logs, "serve", "--region", region, "--fleet",
        fleet.file().toString(), "--data-dir", dataDir.toString());
  }

  private static MeridianRegion start(MeridianJar jar, String region, int port, List<String> jvmOptions, Path logs,
      String... arguments) {
    var options = new ArrayList<>(jvmOptions);
    options.add("-XX:+ExitOnOutOfMemoryError");
    // Extra options for every region, e.g. a JFR recording to find where the time goes.
    String extra = System.getenv("MERIDIAN_BENCH_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.trim().replace("{region}", region).replace("{nanos}", Long.toString(System.nanoTime())).split("\\s+")));
    }
    Path log = logs.resolve("meridian-" + region + "-" + System.nanoTime() + ".log");
    var process = ChildProcess.start("meridian " + region, jar.command(options, arguments), log);
    var started = new MeridianRegion(region, port, process);
    try {
      process.awaitUntil("/readyz 200", READY_TIMEOUT, () -> Http.status("GET", started.url() + "/readyz") == 200);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return started;
  }

  public String region() {
    return region;
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /**
   * The time its JIT compilers have spent so far (ms, {@code jvm_compilation_time_ms_total} of {@code /metrics}): read
   * before and after a timed window to tell one the region spent compiling.
   */
  public long compilationMillis() {
    return PrometheusText.compilationMillis(Http.get(url() + "/metrics"));
  }

  /** The JIT time (ms) these regions have spent so far, all together. */
  public static long compilationMillis(List<MeridianRegion> regions) {
    return regions.stream().mapToLong(MeridianRegion::compilationMillis).sum();
  }

  /**
   * The share of the time since {@code startNanos} ({@link System#nanoTime}) the regions' compilers were busy, per
   * region (elapsed time, C1 and C2 together, so it may pass 100%), from their total at the start.
   */
  public static double jitShare(List<MeridianRegion> regions, long compiledBefore, long startNanos) {
    double elapsedMillis = (System.nanoTime() - startNanos) / 1e6;
    return (compilationMillis(regions) - compiledBefore) / elapsedMillis / regions.size();
  }

  public ChildProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
