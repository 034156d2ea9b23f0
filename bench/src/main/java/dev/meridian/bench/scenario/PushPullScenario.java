package dev.meridian.bench.scenario;

import dev.meridian.bench.harness.BenchCredentials;
import dev.meridian.bench.BenchContext;
import dev.meridian.bench.Result;
import dev.meridian.bench.Scenario;
import dev.meridian.bench.Target;
import dev.meridian.bench.harness.Command;
import dev.meridian.bench.harness.DistributionRegistry;
import dev.meridian.bench.harness.MeridianRegion;
import dev.meridian.bench.harness.OciLayout;
import dev.meridian.bench.harness.ProcessCpu;
import dev.meridian.bench.harness.Registry;
import dev.meridian.bench.harness.Skopeo;
import dev.meridian.bench.harness.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Scenario 1: skopeo push and pull of one image of three incompressible layers, and blob downloads by
 * several concurrent curl clients writing to {@code /dev/null} (so the client's disk is out of the
 * picture), against a Meridian region and against CNCF distribution, each on fresh storage every
 * repetition. The two registries take turns going first, so neither always gets the warmer disk cache.
 *
 * <p>Before the timed part of each repetition, each registry gets the same untimed warm-up: a push, a pull and one
 * curl download of a small separate image ({@value #WARMUP_LAYERS} x 32 MiB, another repository), then pushes of
 * {@value #WARMUP_FULL_PUSHES} other images of the measured shape. A registry in
 * production is a long-running process; without it, Meridian's fresh JVM would spend the timed push compiling its
 * own hot path (C2 alone took ~1.2 CPU-seconds over the first two 300 MiB pushes), which is start-up, not serving.
 */
public final class PushPullScenario implements Scenario {
  private static final String REPOSITORY = "bench/pushpull";
  private static final String TAG = "v1";
  private static final int CLIENTS = 4;
  private static final String WARMUP_REPOSITORY = "bench/warmup";
  private static final int WARMUP_LAYERS = 2;
  /**
   * Pushes of full-size images in the warm-up. Measured with per-thread CPU from /proc: after the small image alone,
   * the agent's C2 compiler still took 0.55-0.64 CPU-s during each of the next two 300 MiB pushes, and about 0.05
   * from the third on (the agent's whole CPU per push fell from 1.5-1.7 to 0.8-0.9 CPU-s).
   */
  private static final int WARMUP_FULL_PUSHES = 2;

  @Override
  public String name() {
    return "push-pull";
  }

  /** Seconds for each measured operation in one repetition, and the CPU-seconds the server spent on it. */
  private record Timings(double push, double pull, double download, double pushCpu, double pullCpu, double downloadCpu) {}

  @Override
  public List<Result> run(BenchContext context) {
    Workspace workspace = context.workspace();
    long layerBytes = context.size(100L << 20, 1L << 20);
    Path layoutDir = workspace.fresh("pushpull-image");
    var layout = new OciLayout(layoutDir);
    var layers = List.of(layout.layer(101, layerBytes), layout.layer(102, layerBytes), layout.layer(103, layerBytes));
    OciLayout.Image image = layout.image(TAG, layers);
    long imageBytes = layout.uniqueBytes();
    Path warmupDir = workspace.fresh("pushpull-warmup-image");
    var warmupLayout = new OciLayout(warmupDir);
    var warmupLayers = new ArrayList<OciLayout.Blob>();
    for (int i = 0; i < WARMUP_LAYERS; i++) warmupLayers.add(warmupLayout.layer(201 + i, context.size(32L << 20, 64L << 10)));
    OciLayout.Image warmup = warmupLayout.image(TAG, warmupLayers);
    for (int n = 1; n <= WARMUP_FULL_PUSHES; n++) {
      int seed = 300 + 10 * n;
      warmupLayout.image(TAG + "-warmup-" + n, List.of(warmupLayout.layer(seed + 1, layerBytes),
          warmupLayout.layer(seed + 2, layerBytes), warmupLayout.layer(seed + 3, layerBytes)));
    }
    long downloadBytes = CLIENTS * layers.stream().mapToLong(OciLayout.Blob::size).sum();
    context.log("push-pull: image %d MiB in %d layers", imageBytes >> 20, layers.size());

    var meridian = new ArrayList<Timings>();
    var distribution = new ArrayList<Timings>();
    for (int rep = 0; rep < context.repetitions(); rep++) {
      Function<Path, Registry> startMeridian = dir -> MeridianRegion.standalone(context.jar(), "eastus", dir,
          workspace.logs(), List.of());
      Function<Path, Registry> startDistribution = dir -> DistributionRegistry.start(dir, workspace.logs());
      if (rep % 2 == 0) {
        meridian.add(measure(context, "meridian", startMeridian, layout, image, warmupLayout, warmup));
        distribution.add(measure(context, "distribution", startDistribution, layout, image, warmupLayout, warmup));
      } else {
        distribution.add(measure(context, "distribution", startDistribution, layout, image, warmupLayout, warmup));
        meridian.add(measure(context, "meridian", startMeridian, layout, image, warmupLayout, warmup));
      }
    }
    Workspace.delete(layoutDir);
    Workspace.delete(warmupDir);
    double mb = 1e6;
    return List.of(
        Result.compared(name(), "skopeo push", "MB/s", rates(meridian, imageBytes / mb, Timings::push),
            rates(distribution, imageBytes / mb, Timings::push), "distribution", Target.ratioAtLeast(1.2)),
        Result.compared(name(), "skopeo pull", "MB/s", rates(meridian, imageBytes / mb, Timings::pull),
            rates(distribution, imageBytes / mb, Timings::pull), "distribution", Target.ratioAtLeast(1.0)),
        Result.compared(name(), "blob download, " + CLIENTS + " curl clients", "MB/s",
            rates(meridian, downloadBytes / mb, Timings::download),
            rates(distribution, downloadBytes / mb, Timings::download), "distribution", Target.ratioAtLeast(1.5)),
        Result.compared(name(), "server CPU, skopeo push", "CPU-s/GB", perGigabyte(meridian, imageBytes, Timings::pushCpu),
            perGigabyte(distribution, imageBytes, Timings::pushCpu), "distribution", Target.NONE),
        Result.compared(name(), "server CPU, skopeo pull", "CPU-s/GB", perGigabyte(meridian, imageBytes, Timings::pullCpu),
            perGigabyte(distribution, imageBytes, Timings::pullCpu), "distribution", Target.NONE),
        Result.compared(name(), "server CPU, blob download", "CPU-s/GB",
            perGigabyte(meridian, downloadBytes, Timings::downloadCpu),
            perGigabyte(distribution, downloadBytes, Timings::downloadCpu), "distribution", Target.NONE));
  }

  /** A cost, lower is better: its ratio is Meridian's share of what distribution spends on the same bytes. */
  private static List<Double> perGigabyte(List<Timings> timings, long bytes, ToDoubleFunction<Timings> cpuSeconds) {
    return timings.stream().map(t -> cpuSeconds.applyAsDouble(t) / (bytes / 1e9)).toList();
  }

  private static List<Double> rates(List<Timings> timings, double megabytes, ToDoubleFunction<Timings> seconds) {
    return timings.stream().map(t -> megabytes / seconds.applyAsDouble(t)).toList();
  }

  private Timings measure(BenchContext context, String label, Function<Path, Registry> start, OciLayout layout,
      OciLayout.Image image, OciLayout warmupLayout, OciLayout.Image warmup) {
    Path storage = context.workspace().fresh(label + "-storage");
    Path pulled = context.workspace().fresh(label + "-pulled");
    try (Registry registry = start.apply(storage)) {
      warmUp(context, registry, warmupLayout, warmup);
      double cpu0 = ProcessCpu.seconds(registry.pid());
      double push = Skopeo.push(layout.root(), TAG, registry, REPOSITORY);
      double cpu1 = ProcessCpu.seconds(registry.pid());
      double pull = Skopeo.pull(registry, REPOSITORY, TAG, pulled);
      double cpu2 = ProcessCpu.seconds(registry.pid());
      double download = concurrentDownloads(registry, image);
      double cpu3 = ProcessCpu.seconds(registry.pid());
      context.log("push-pull %s: push %.2fs pull %.2fs download %.2fs; server CPU push %.2fs pull %.2fs download %.2fs",
          label, push, pull, download, cpu1 - cpu0, cpu2 - cpu1, cpu3 - cpu2);
      return new Timings(push, pull, download, cpu1 - cpu0, cpu2 - cpu1, cpu3 - cpu2);
    } finally {
      Workspace.delete(storage);
      Workspace.delete(pulled);
    }
  }

  /**
   * The untimed warm-up, the same against every registry: push, pull and one download of the small image, then
   * {@value #WARMUP_FULL_PUSHES} pushes of other images of the measured image's shape, then {@code sync}, so that the
   * timed push starts with no dirty page cache left over from the warm-up, whichever registry synced it.
   */
  private static void warmUp(BenchContext context, Registry registry, OciLayout warmupLayout, OciLayout.Image warmup) {
    Path pulled = context.workspace().fresh("warmup-pulled");
    try {
      Skopeo.push(warmupLayout.root(), TAG, registry, WARMUP_REPOSITORY);
      Skopeo.pull(registry, WARMUP_REPOSITORY, TAG, pulled);
      download(registry, WARMUP_REPOSITORY, warmup);
      for (int image = 1; image <= WARMUP_FULL_PUSHES; image++) {
        Skopeo.push(warmupLayout.root(), TAG + "-warmup-" + image, registry, WARMUP_REPOSITORY + "-" + image);
      }
      Command.run(List.of("sync"));
    } finally {
      Workspace.delete(pulled);
    }
  }

  /** {@value #CLIENTS} curl processes at once, each fetching every layer to /dev/null; the wall time in seconds. */
  private static double concurrentDownloads(Registry registry, OciLayout.Image image) {
    List<String> command = curlCommand(registry, REPOSITORY, image);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      long start = System.nanoTime();
      var runs = new ArrayList<Future<String>>();
      for (int i = 0; i < CLIENTS; i++) runs.add(pool.submit(() -> Command.run(command)));
      for (Future<String> run : runs) run.get();
      return (System.nanoTime() - start) / 1e9;
    } catch (Exception e) {
      throw new IllegalStateException("concurrent downloads failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One curl process fetching every layer of the image to /dev/null. */
  private static void download(Registry registry, String repository, OciLayout.Image image) {
    Command.run(curlCommand(registry, repository, image));
  }

  private static List<String> curlCommand(Registry registry, String repository, OciLayout.Image image) {
    var command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--fail", "-u", BenchCredentials.userAndPassword()));
    for (OciLayout.Blob layer : image.layers()) {
      command.add("-o");
      command.add("/dev/null");
      command.add(registry.url() + "/v2/" + repository + "/blobs/" + layer.digest());
    }
    return command;
  }
}
