package dev.meridian.agent.metrics;

import dev.meridian.agent.lifecycle.GcListener;
import dev.meridian.agent.lifecycle.GcReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Garbage collection: {@code meridian.gc.runs} (by outcome: done, dry_run, failed), {@code meridian.gc.duration},
 * {@code meridian.gc.reclaimed} (bytes, by kind: blob, upload), {@code meridian.gc.deleted} (by kind). A dry
 * run counts as a run and reclaims nothing.
 */
final class LifecycleMeters implements GcListener {
  private final MeterRegistry registry;

  LifecycleMeters(MeterRegistry registry) {
    this.registry = registry;
    for (String outcome : new String[] {"done", "dry_run", "failed"}) runs(outcome);
    for (String kind : new String[] {"blob", "upload"}) {
      reclaimed(kind);
      deleted(kind);
    }
  }

  @Override
  public void collected(GcReport report) {
    runs(report.dryRun() ? "dry_run" : "done").increment();
    Timer.builder("meridian.gc.duration").description("garbage collection runs").register(registry).record(report.duration());
    if (report.dryRun()) return;
    reclaimed("blob").increment(report.blobBytesReclaimed());
    reclaimed("upload").increment(report.uploadBytesReclaimed());
    deleted("blob").increment(report.blobsDeleted());
    deleted("upload").increment(report.uploadsDeleted());
  }

  @Override
  public void failed() {
    runs("failed").increment();
  }

  private Counter runs(String outcome) {
    return Counter.builder("meridian.gc.runs").description("garbage collections").tag("outcome", outcome).register(registry);
  }

  private Counter reclaimed(String kind) {
    return Counter.builder("meridian.gc.reclaimed").description("bytes deleted by garbage collection").baseUnit("bytes")
        .tag("kind", kind).register(registry);
  }

  private Counter deleted(String kind) {
    return Counter.builder("meridian.gc.deleted").description("blobs and upload sessions deleted by garbage collection")
        .tag("kind", kind).register(registry);
  }
}
