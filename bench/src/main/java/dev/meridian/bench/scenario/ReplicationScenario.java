package dev.meridian.bench.scenario;

import dev.meridian.bench.BenchContext;
import dev.meridian.bench.Result;
import dev.meridian.bench.Scenario;
import dev.meridian.bench.Target;
import dev.meridian.bench.harness.Command;
import dev.meridian.bench.harness.DistributionRegistry;
import dev.meridian.bench.harness.Fleet;
import dev.meridian.bench.harness.Http;
import dev.meridian.bench.harness.KafkaBroker;
import dev.meridian.bench.harness.MeridianRegion;
import dev.meridian.bench.harness.OciLayout;
import dev.meridian.bench.harness.Pause;
import dev.meridian.bench.harness.Skopeo;
import dev.meridian.bench.harness.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 2: replicating several tags that share layers (over 1 GiB of distinct blobs) from one region to
 * another, three ways on the same disk in the same run:
 *
 * <ul>
 *   <li>Meridian: every tag is pushed to {@code eastus} while {@code westeurope} is down; then
 *       {@code westeurope} starts, and the clock runs from its {@code /readyz} until every tag is pullable
 *       there (complete-before-visible makes a 200 on the manifest mean every blob is local and verified).
 *   <li>{@code skopeo sync} of the same repository between two distribution registries.
 *   <li>The machine's limit: {@code cp} of the same blob files, then {@code sync FILE...} (fsync each).
 * </ul>
 *
 * The target region starting after the pushes makes this a pure catch-up copy, like the other two; with
 * the target online, replication overlaps the pushes (blob.put starts copying a layer before the manifest).
 */
public final class ReplicationScenario implements Scenario {
  private static final String REPOSITORY = "bench/app";
  private static final int TAGS = 5;

  @Override
  public String name() {
    return "replication";
  }

  @Override
  public List<Result> run(BenchContext context) {
    Workspace workspace = context.workspace();
    Path layoutDir = workspace.fresh("replication-images");
    var layout = new OciLayout(layoutDir);
    // Tag i holds the shared base layer and own layers i and i+1: neighbours share one more layer.
    var base = layout.layer(200, context.size(256L << 20, 2L << 20));
    var own = new ArrayList<OciLayout.Blob>();
    for (int i = 0; i <= TAGS; i++) own.add(layout.layer(201 + i, context.size(160L << 20, 1L << 20)));
    var tags = new ArrayList<String>();
    for (int i = 0; i < TAGS; i++) {
      tags.add("v" + i);
      layout.image("v" + i, List.of(base, own.get(i), own.get(i + 1)));
    }
    double megabytes = layout.uniqueBytes() / 1e6;
    context.log("replication: %d tags, %.0f MB of distinct blobs", TAGS, megabytes);

    var meridian = new ArrayList<Double>();
    var sync = new ArrayList<Double>();
    var copy = new ArrayList<Double>();
    for (int rep = 0; rep < context.repetitions(); rep++) {
      for (int k = 0; k < 3; k++) {
        switch ((rep + k) % 3) {
          case 0 -> meridian.add(megabytes / meridian(context, layout, tags));
          case 1 -> sync.add(megabytes / skopeoSync(context, layout, tags));
          default -> copy.add(megabytes / copyWithFsync(context, layout));
        }
      }
      context.log("replication rep %d: meridian %.0f MB/s, skopeo sync %.0f MB/s, cp+fsync %.0f MB/s", rep + 1,
          meridian.get(rep), sync.get(rep), copy.get(rep));
    }
    Workspace.delete(layoutDir);
    return List.of(
        Result.compared(name(), "catch-up copy vs skopeo sync", "MB/s", meridian, sync, "skopeo sync",
            Target.ratioAtLeast(1.4)),
        Result.compared(name(), "catch-up copy vs cp+fsync", "MB/s", meridian, copy, "cp+fsync",
            Target.ratioAtLeast(0.8)));
  }

  /** Seconds from the target region's readiness until every tag is pullable there. */
  private static double meridian(BenchContext context, OciLayout layout, List<String> tags) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("replication-meridian");
    try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
      Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), List.of("eastus", "westeurope"), 8);
      try (var east = MeridianRegion.member(context.jar(), fleet, "eastus", dir.resolve("eastus"), workspace.logs(), List.of())) {
        for (String tag : tags) Skopeo.push(layout.root(), tag, east, REPOSITORY);
        try (var west = MeridianRegion.member(context.jar(), fleet, "westeurope", dir.resolve("westeurope"),
            workspace.logs(), List.of())) {
          long start = System.nanoTime();
          awaitTags(west.url(), REPOSITORY, tags, Duration.ofMinutes(10));
          return (System.nanoTime() - start) / 1e9;
        }
      }
    } finally {
      Workspace.delete(dir);
    }
  }

  private static double skopeoSync(BenchContext context, OciLayout layout, List<String> tags) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("replication-distribution");
    try (var source = DistributionRegistry.start(dir.resolve("source"), workspace.logs());
        var target = DistributionRegistry.start(dir.resolve("target"), workspace.logs())) {
      for (String tag : tags) Skopeo.push(layout.root(), tag, source, REPOSITORY);
      double seconds = Skopeo.sync(source, REPOSITORY, target, "mirror");
      awaitTags(target.url(), "mirror/app", tags, Duration.ofSeconds(10)); // proves the sync copied them
      return seconds;
    } finally {
      Workspace.delete(dir);
    }
  }

  private static double copyWithFsync(BenchContext context, OciLayout layout) {
    Path dir = context.workspace().fresh("replication-cp");
    try {
      return Command.timed(List.of("sh", "-c", "cp -r \"$0\" \"$1/blobs\" && sync \"$1\"/blobs/*",
          layout.blobsDirectory().toString(), dir.toString()));
    } finally {
      Workspace.delete(dir);
    }
  }

  static void awaitTags(String registry, String repository, List<String> tags, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    var pending = new ArrayList<>(tags);
    while (!pending.isEmpty()) {
      pending.removeIf(tag -> Http.status("HEAD", registry + "/v2/" + repository + "/manifests/" + tag) == 200);
      if (pending.isEmpty()) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("tags " + pending + " of " + repository + " not pullable at " + registry
            + " within " + timeout);
      }
      Pause.millis(20);
    }
  }
}
