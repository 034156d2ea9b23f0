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
import dev.meridian.bench.harness.ProcessCpu;
import dev.meridian.bench.harness.Registry;
import dev.meridian.bench.harness.Skopeo;
import dev.meridian.bench.harness.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 2: replicating several tags that share layers (over 1 GiB of distinct blobs) from one region to
 * another, four ways on the same disk in the same run:
 *
 * <ul>
 *   <li>Meridian, region restarted: every tag is pushed to {@code eastus} while {@code westeurope} is down; then
 *       {@code westeurope} starts, and the clock runs from its {@code /readyz} until every tag is pullable
 *       there (complete-before-visible makes a 200 on the manifest mean every blob is local and verified). A
 *       region coming back after an outage is a fresh JVM: this copy pays for compiling its own code.
 *   <li>Meridian, running region re-enabled: both regions run and are warmed up; replication to
 *       {@code westeurope} is disabled while the tags are pushed, and the clock runs from re-enabling it.
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
  private static final String WARM_REPOSITORY = "bench/warmup";
  private static final String WARM_LIVE = "live";
  /**
   * Warm-up catch-ups before the timed one: with one, {@code perf} still found the JIT compilers in ~18% of the timed
   * copy's samples, and a second timed catch-up in the same fleet ran faster than the first.
   */
  private static final List<String> WARM_CATCH_UPS = List.of("catch-up-1", "catch-up-2", "catch-up-3");
  private static final java.util.regex.Pattern DISABLED =
      java.util.regex.Pattern.compile("\"state\"\\s*:\\s*\"disabled\"");

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
    // Separate content for the warm regions' warm-up, so the timed copy finds none of its blobs already there.
    Path warmupDir = workspace.fresh("replication-warmup");
    var warmup = new OciLayout(warmupDir);
    var warmTags = new ArrayList<String>(List.of(WARM_LIVE));
    warmTags.addAll(WARM_CATCH_UPS);
    for (int i = 0; i < warmTags.size(); i++) {
      long seed = 300 + 10L * i;
      warmup.image(warmTags.get(i), List.of(warmup.layer(seed, context.size(128L << 20, 1L << 20)),
          warmup.layer(seed + 1, context.size(128L << 20, 1L << 20))));
    }
    double megabytes = layout.uniqueBytes() / 1e6;
    context.log("replication: %d tags, %.0f MB of distinct blobs", TAGS, megabytes);

    var meridian = new ArrayList<Copy>();
    var sync = new ArrayList<Copy>();
    var copy = new ArrayList<Copy>();
    var warm = new ArrayList<Copy>();
    for (int rep = 0; rep < context.repetitions(); rep++) {
      for (int k = 0; k < 4; k++) {
        switch ((rep + k) % 4) {
          case 0 -> meridian.add(meridian(context, layout, tags));
          case 1 -> sync.add(skopeoSync(context, layout, tags));
          case 2 -> warm.add(meridianWarm(context, layout, tags, warmup));
          default -> copy.add(copyWithFsync(context, layout));
        }
      }
      context.log("replication rep %d: meridian after restart %.0f MB/s (%.2f CPU-s), after re-enable %.0f MB/s"
          + " (%.2f CPU-s), skopeo sync %.0f MB/s (%.2f CPU-s), cp+fsync %.0f MB/s (%.2f CPU-s)", rep + 1,
          megabytes / meridian.get(rep).seconds(), meridian.get(rep).cpuSeconds(),
          megabytes / warm.get(rep).seconds(), warm.get(rep).cpuSeconds(),
          megabytes / sync.get(rep).seconds(), sync.get(rep).cpuSeconds(),
          megabytes / copy.get(rep).seconds(), copy.get(rep).cpuSeconds());
    }
    Workspace.delete(layoutDir);
    Workspace.delete(warmupDir);
    double gigabytes = megabytes / 1e3;
    return List.of(
        Result.compared(name(), "catch-up copy vs skopeo sync", "MB/s", Copy.rates(meridian, megabytes),
            Copy.rates(sync, megabytes), "skopeo sync", Target.ratioAtLeast(1.4)),
        Result.compared(name(), "catch-up copy vs cp+fsync", "MB/s", Copy.rates(meridian, megabytes),
            Copy.rates(copy, megabytes), "cp+fsync", Target.ratioAtLeast(0.8)),
        Result.compared(name(), "catch-up copy, running region re-enabled, vs skopeo sync", "MB/s",
            Copy.rates(warm, megabytes), Copy.rates(sync, megabytes), "skopeo sync", Target.ratioAtLeast(1.4)),
        Result.compared(name(), "catch-up copy, running region re-enabled, vs cp+fsync", "MB/s",
            Copy.rates(warm, megabytes), Copy.rates(copy, megabytes), "cp+fsync", Target.ratioAtLeast(0.8)),
        Result.compared(name(), "CPU of the catch-up copy, region restarted, vs skopeo sync", "CPU-s/GB",
            Copy.cpuPerGigabyte(meridian, gigabytes), Copy.cpuPerGigabyte(sync, gigabytes), "skopeo sync",
            Target.NONE),
        Result.compared(name(), "CPU of the catch-up copy, running region re-enabled, vs cp+fsync", "CPU-s/GB",
            Copy.cpuPerGigabyte(warm, gigabytes), Copy.cpuPerGigabyte(copy, gigabytes), "cp+fsync", Target.NONE));
  }

  /**
   * One timed copy: its wall time, and the CPU time the processes doing it spent meanwhile (for Meridian both
   * regions; for {@code skopeo sync} skopeo and both registries; for the limit {@code cp} and {@code sync}).
   */
  private record Copy(double seconds, double cpuSeconds) {
    static List<Double> rates(List<Copy> copies, double megabytes) {
      return copies.stream().map(c -> megabytes / c.seconds()).toList();
    }

    static List<Double> cpuPerGigabyte(List<Copy> copies, double gigabytes) {
      return copies.stream().map(c -> c.cpuSeconds() / gigabytes).toList();
    }
  }

  private static double cpu(Registry... servers) {
    double total = 0;
    for (Registry server : servers) total += ProcessCpu.seconds(server.pid());
    return total;
  }

  /**
   * Seconds from re-enabling replication to a running region until every tag is pullable there. Both regions
   * are up from the start and warmed like the push-pull scenario's registries (a region is a long-running
   * process): one warm-up image replicates live, three more as catch-ups after a disable; then {@code westeurope}
   * is disabled ({@code PATCH /admin/v1/replications/westeurope {"enabled":false}}, what {@code meridian
   * replication update --enabled false} sends), the tags are pushed to {@code eastus}, and the clock runs from
   * the re-enable until every tag is pullable in {@code westeurope}.
   */
  private static Copy meridianWarm(BenchContext context, OciLayout layout, List<String> tags, OciLayout warmup) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("replication-meridian-warm");
    try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
      Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), List.of("eastus", "westeurope"), 8);
      try (var east = MeridianRegion.member(context.jar(), fleet, "eastus", dir.resolve("eastus"), workspace.logs(), List.of());
          var west = MeridianRegion.member(context.jar(), fleet, "westeurope", dir.resolve("westeurope"),
              workspace.logs(), List.of())) {
        Skopeo.push(warmup.root(), WARM_LIVE, east, WARM_REPOSITORY);
        awaitReplicated(west.url(), WARM_REPOSITORY, List.of(WARM_LIVE), Duration.ofMinutes(5));
        for (String tag : WARM_CATCH_UPS) {
          setReplication(east, west, false);
          Skopeo.push(warmup.root(), tag, east, WARM_REPOSITORY);
          long compiled = MeridianRegion.compilationMillis(List.of(east, west));
          long start = System.nanoTime();
          setReplication(east, west, true);
          awaitReplicated(west.url(), WARM_REPOSITORY, List.of(tag), Duration.ofMinutes(5));
          context.log("replication warm-up %s (not counted): the regions' compilers busy %.0f%% of the copy", tag,
              100 * MeridianRegion.jitShare(List.of(east, west), compiled, start));
        }

        setReplication(east, west, false);
        for (String tag : tags) Skopeo.push(layout.root(), tag, east, REPOSITORY);
        double cpu = cpu(east, west);
        long compiled = MeridianRegion.compilationMillis(List.of(east, west));
        long start = System.nanoTime();
        int status = Http.patchJson(east.url() + "/admin/v1/replications/" + west.region(), "{\"enabled\":true}");
        if (status != 202) throw new IllegalStateException("PATCH replication of westeurope: HTTP " + status);
        awaitReplicated(west.url(), REPOSITORY, tags, Duration.ofMinutes(10));
        var timed = new Copy((System.nanoTime() - start) / 1e9, cpu(east, west) - cpu);
        context.log("replication timed copy to a running region: the regions' compilers busy %.0f%% of it",
            100 * MeridianRegion.jitShare(List.of(east, west), compiled, start));
        return timed;
      }
    } finally {
      Workspace.delete(dir);
    }
  }

  /**
   * Enables or disables replication to {@code west} (asking {@code east}, which may be {@code west} itself) and waits
   * until {@code west} says so.
   */
  static void setReplication(MeridianRegion east, MeridianRegion west, boolean enabled) {
    int status = Http.patchJson(east.url() + "/admin/v1/replications/" + west.region(), "{\"enabled\":" + enabled + "}");
    if (status != 202) throw new IllegalStateException("PATCH replication of " + west.region() + ": HTTP " + status);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (DISABLED.matcher(Http.get(west.url() + "/admin/v1/region")).find() == enabled) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(west.region() + " did not become " + (enabled ? "enabled" : "disabled"));
      }
      Pause.millis(5);
    }
  }

  /** Seconds from the target region's readiness until every tag is pullable there. */
  private static Copy meridian(BenchContext context, OciLayout layout, List<String> tags) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("replication-meridian");
    try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
      Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), List.of("eastus", "westeurope"), 8);
      try (var east = MeridianRegion.member(context.jar(), fleet, "eastus", dir.resolve("eastus"), workspace.logs(), List.of())) {
        for (String tag : tags) Skopeo.push(layout.root(), tag, east, REPOSITORY);
        try (var west = MeridianRegion.member(context.jar(), fleet, "westeurope", dir.resolve("westeurope"),
            workspace.logs(), List.of())) {
          double cpu = cpu(east, west);
          long start = System.nanoTime();
          awaitReplicated(west.url(), REPOSITORY, tags, Duration.ofMinutes(10));
          return new Copy((System.nanoTime() - start) / 1e9, cpu(east, west) - cpu);
        }
      }
    } finally {
      Workspace.delete(dir);
    }
  }

  private static Copy skopeoSync(BenchContext context, OciLayout layout, List<String> tags) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("replication-distribution");
    try (var source = DistributionRegistry.start(dir.resolve("source"), workspace.logs());
        var target = DistributionRegistry.start(dir.resolve("target"), workspace.logs())) {
      for (String tag : tags) Skopeo.push(layout.root(), tag, source, REPOSITORY);
      double cpu = cpu(source, target) + ProcessCpu.commandsSeconds();
      double seconds = Skopeo.sync(source, REPOSITORY, target, "mirror");
      double spent = cpu(source, target) + ProcessCpu.commandsSeconds() - cpu;
      awaitTags(target.url(), "mirror/app", tags, Duration.ofSeconds(10)); // proves the sync copied them
      return new Copy(seconds, spent);
    } finally {
      Workspace.delete(dir);
    }
  }

  private static Copy copyWithFsync(BenchContext context, OciLayout layout) {
    Path dir = context.workspace().fresh("replication-cp");
    try {
      double cpu = ProcessCpu.commandsSeconds();
      double seconds = Command.timed(List.of("sh", "-c", "cp -r \"$0\" \"$1/blobs\" && sync \"$1\"/blobs/*",
          layout.blobsDirectory().toString(), dir.toString()));
      return new Copy(seconds, ProcessCpu.commandsSeconds() - cpu);
    } finally {
      Workspace.delete(dir);
    }
  }

  /** Waits until every tag is pullable at {@code registry} (a baseline registry: asked as any client asks). */
  static void awaitTags(String registry, String repository, List<String> tags, Duration timeout) {
    awaitTags(registry, repository, tags, timeout, false);
  }

  /**
   * Waits until every tag is held by the Meridian region at {@code registry}: asked as a peer
   * ({@link Http#localStatus}), so asking does not itself fetch the content (read-through) and the wait measures
   * replication alone.
   */
  static void awaitReplicated(String registry, String repository, List<String> tags, Duration timeout) {
    awaitTags(registry, repository, tags, timeout, true);
  }

  private static void awaitTags(String registry, String repository, List<String> tags, Duration timeout, boolean local) {
    long deadline = System.nanoTime() + timeout.toNanos();
    var pending = new ArrayList<>(tags);
    // One tag asked at a time, the next as soon as it is there: asking every pending tag every 20 ms made the
    // observer (its requests, the region's answers) ~10% of the machine's CPU during a timed copy (perf).
    while (!pending.isEmpty()) {
      String url = registry + "/v2/" + repository + "/manifests/" + pending.get(0);
      if ((local ? Http.localStatus("HEAD", url) : Http.status("HEAD", url)) == 200) {
        pending.remove(0);
        continue;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("tags " + pending + " of " + repository + " not pullable at " + registry
            + " within " + timeout);
      }
      Pause.millis(20);
    }
  }
}
