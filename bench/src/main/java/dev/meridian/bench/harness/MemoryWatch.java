package dev.meridian.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one agent's memory while a scenario runs: a thread scrapes its {@code /metrics} every 200 ms for heap
 * and direct-buffer use and reads its resident set from {@code /proc}; {@link #stop} adds the kernel's own
 * resident high-water mark ({@code VmHWM}) and the peaks of its GC log.
 *
 * <p>Sampled figures can miss a short peak between two samples; {@code VmHWM} and the GC log cannot.
 */
public final class MemoryWatch implements AutoCloseable {
  private static final long PERIOD_MILLIS = 200;

  /** The peaks of one agent over the watch, in bytes. */
  public record Peaks(long heapSampled, long direct, long residentHighWater, GcLog gc) {}

  private final MeridianRegion region;
  private final Path gcLog;
  private final AtomicLong heap = new AtomicLong();
  private final AtomicLong direct = new AtomicLong();
  private final AtomicLong resident = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  private MemoryWatch(MeridianRegion region, Path gcLog) {
    this.region = region;
    this.gcLog = gcLog;
    this.sampler = new Thread(this::sample, "memory-watch-" + region.region());
    sampler.setDaemon(true);
  }

  /** Starts watching {@code region}, whose JVM writes its GC log to {@code gcLog} ({@link GcLog#option}). */
  public static MemoryWatch start(MeridianRegion region, Path gcLog) {
    var watch = new MemoryWatch(region, gcLog);
    watch.sampler.start();
    return watch;
  }

  private void sample() {
    while (running) {
      try {
        String metrics = Http.get(region.url() + "/metrics");
        heap.accumulateAndGet(PrometheusText.sum(metrics, "jvm_memory_used_bytes{", "area=\"heap\""), Math::max);
        direct.accumulateAndGet(PrometheusText.sum(metrics, "jvm_buffer_memory_used_bytes{", "id=\"direct\""), Math::max);
      } catch (RuntimeException e) {
        // a scrape that failed (the agent busy or stopping) is a sample missed, not a failure of the run
      }
      resident.accumulateAndGet(status("VmRSS:"), Math::max);
      Pause.millis(PERIOD_MILLIS);
    }
  }

  /** Stops sampling and returns the peaks; call while the agent still runs, so {@code VmHWM} can be read. */
  public Peaks stop() {
    running = false;
    try {
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long highWater = Math.max(status("VmHWM:"), resident.get());
    return new Peaks(heap.get(), direct.get(), highWater, GcLog.read(gcLog));
  }

  @Override
  public void close() {
    running = false;
  }

  /** A {@code kB} line of {@code /proc/PID/status} in bytes, 0 when there is none (not Linux, process gone). */
  private long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(region.pid()), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
