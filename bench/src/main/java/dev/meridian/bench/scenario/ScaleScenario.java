package dev.meridian.bench.scenario;

import dev.meridian.bench.BenchContext;
import dev.meridian.bench.Result;
import dev.meridian.bench.Scenario;
import dev.meridian.bench.Stats;
import dev.meridian.bench.Target;
import dev.meridian.bench.harness.ChildProcess;
import dev.meridian.bench.harness.Fleet;
import dev.meridian.bench.harness.Http;
import dev.meridian.bench.harness.KafkaBroker;
import dev.meridian.bench.harness.MeridianRegion;
import dev.meridian.bench.harness.Pause;
import dev.meridian.bench.harness.ResidentMemory;
import dev.meridian.bench.harness.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Scenario 5: a region holding a synthetic registry of 100,000 repositories and 1,000,000 tags (10 per repository
 * over a few shared images), written into its data directory by {@code meridian load-synthetic} through the
 * agent's own state store before the agent starts. Timed: the agent's restart (process start to {@code /readyz}
 * 200), catalog pages ({@code n=100} at the start, the middle and the end, by {@code last=}) and tag-list pages
 * of random repositories, its resident memory after that listing load, and a new region seeding itself from it
 * (process start to the region's state {@code ready}).
 */
public final class ScaleScenario implements Scenario {
  private static final int TAGS_PER_REPOSITORY = 10;
  private static final int PAGE = 100;
  private static final List<String> REGIONS = List.of("eastus", "westeurope");
  private static final java.util.regex.Pattern READY = java.util.regex.Pattern.compile("\"state\"\\s*:\\s*\"ready\"");

  @Override
  public String name() {
    return "scale";
  }

  @Override
  public List<Result> run(BenchContext context) {
    int repositories = (int) context.size(100_000, 300);
    long tags = (long) repositories * TAGS_PER_REPOSITORY;
    int requests = (int) context.size(300, 20);
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("scale");
    try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
      Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), REGIONS, 4);
      Path source = dir.resolve("eastus");
      double load = load(context, source, repositories);
      context.log("scale: loaded %d repositories, %d tags in %.1f s", repositories, tags, load);

      double first = timedStart(context, fleet, source, null);
      context.log("scale: first start after the load %.2f s", first);
      var restarts = new ArrayList<Double>();
      var catalog = new ArrayList<Double>();
      var tagLists = new ArrayList<Double>();
      long rss = 0;
      Seed seeded;
      MeridianRegion[] running = {null};
      try {
        for (int rep = 0; rep < context.repetitions(); rep++) {
          restarts.add(timedStart(context, fleet, source, running));
          context.log("scale rep %d: restart to ready %.2f s", rep + 1, restarts.get(rep));
          if (rep < context.repetitions() - 1) running[0].close();
        }
        String url = running[0].url();
        catalog.addAll(catalogPages(url, repositories, requests));
        tagLists.addAll(tagListPages(url, repositories, requests * 3));
        rss = ResidentMemory.of(running[0].pid());
        context.log("scale: catalog p50 %.2f ms p99 %.2f ms, tag list p50 %.2f ms p99 %.2f ms, VmRSS %d MiB",
            Stats.percentile(catalog, 50), Stats.percentile(catalog, 99), Stats.percentile(tagLists, 50),
            Stats.percentile(tagLists, 99), rss >> 20);
        seeded = seed(context, fleet, dir.resolve("westeurope"), Duration.ofSeconds(context.size(600, 120)), repositories);
        context.log("scale: new region ready after %.1f s%s", seeded.seconds(), seeded.note());
      } finally {
        if (running[0] != null) running[0].close();
      }
      // The same restart without Kafka, loaded against empty in turns: how much of it grows with the registry.
      Path empty = dir.resolve("empty");
      standaloneStart(context, empty);
      var loadedStandalone = new ArrayList<Double>();
      var emptyStandalone = new ArrayList<Double>();
      for (int rep = 0; rep < context.repetitions(); rep++) {
        loadedStandalone.add(standaloneStart(context, source));
        emptyStandalone.add(standaloneStart(context, empty));
        context.log("scale rep %d: standalone restart to ready %.2f s loaded, %.2f s empty", rep + 1,
            loadedStandalone.get(rep), emptyStandalone.get(rep));
      }
      int reps = context.repetitions();
      String size = String.format(" %,d tags", tags);
      return List.of(
          Result.alone(name(), "restart to ready," + size, "s", Stats.median(restarts), Target.atMost(10), reps),
          Result.alone(name(), "first start after load," + size, "s", first, Target.NONE, 1),
          Result.compared(name(), "standalone restart to ready, loaded vs empty", "s", loadedStandalone,
              emptyStandalone, "empty registry", Target.atMost(10)),
          Result.alone(name(), "catalog page n=100 p50", "ms", Stats.percentile(catalog, 50), Target.atMost(20), 1),
          Result.alone(name(), "catalog page n=100 p99", "ms", Stats.percentile(catalog, 99), Target.atMost(20), 1),
          Result.alone(name(), "tag list page n=100 p50", "ms", Stats.percentile(tagLists, 50), Target.atMost(20), 1),
          Result.alone(name(), "tag list page n=100 p99", "ms", Stats.percentile(tagLists, 99), Target.atMost(20), 1),
          Result.alone(name(), "resident memory after listings", "MiB", rss / (1024.0 * 1024), Target.atMost(1024), 1),
          Result.alone(name(), "new region seeded to ready," + size + seeded.note(), "s", seeded.seconds(), Target.NONE, 1),
          Result.alone(name(), "synthetic load," + size, "s", load, Target.NONE, 1));
    } finally {
      Workspace.delete(dir);
    }
  }

  /** Runs {@code meridian load-synthetic} into the stopped region's data directory; its duration in seconds. */
  private static double load(BenchContext context, Path dataDir, int repositories) {
    long start = System.nanoTime();
    var loader = ChildProcess.start("meridian load-synthetic", context.jar().command(List.of(), "load-synthetic",
        "--data-dir", dataDir.toString(), "--region", REGIONS.get(0), "--repositories", Integer.toString(repositories),
        "--tags-per-repository", Integer.toString(TAGS_PER_REPOSITORY)),
        context.workspace().logs().resolve("load-synthetic-" + System.nanoTime() + ".log"));
    int exit = loader.awaitExit(Duration.ofMinutes(60));
    if (exit != 0) throw new IllegalStateException("load-synthetic exited " + exit + "\n" + loader.logTail());
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds from starting the source region's process to its {@code /readyz} 200; kept running in {@code running}. */
  private static double timedStart(BenchContext context, Fleet fleet, Path dataDir, MeridianRegion[] running) {
    long start = System.nanoTime();
    var region = MeridianRegion.member(context.jar(), fleet, REGIONS.get(0), dataDir, context.workspace().logs(), List.of());
    double seconds = (System.nanoTime() - start) / 1e9;
    if (running == null) region.close();
    else running[0] = region;
    return seconds;
  }

  /** Seconds from starting a standalone region (no Kafka) on {@code dataDir} to its {@code /readyz} 200; stopped after. */
  private static double standaloneStart(BenchContext context, Path dataDir) {
    long start = System.nanoTime();
    try (var region = MeridianRegion.standalone(context.jar(), REGIONS.get(0), dataDir, context.workspace().logs(), List.of())) {
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /** Milliseconds per catalog page, as many at the start, the middle and the end of the catalog. */
  private static List<Double> catalogPages(String url, int repositories, int perPosition) {
    List<String> pages = List.of(url + "/v2/_catalog?n=" + PAGE,
        url + "/v2/_catalog?n=" + PAGE + "&last=" + repository(repositories / 2),
        url + "/v2/_catalog?n=" + PAGE + "&last=" + repository(Math.max(0, repositories - PAGE / 2)));
    for (String page : pages) {
      // A catalog page lists a run of repositories in order: the first of this one must be there.
      String body = Http.get(page);
      if (!body.contains("\"scale/r")) throw new IllegalStateException("catalog page without repositories: " + page + " " + body);
    }
    return timed(pages, perPosition);
  }

  private static List<Double> tagListPages(String url, int repositories, int count) {
    Random random = new Random(5);
    List<String> pages = new ArrayList<>();
    for (int i = 0; i < count; i++) pages.add(url + "/v2/" + repository(random.nextInt(repositories)) + "/tags/list?n=" + PAGE);
    String body = Http.get(pages.get(0));
    if (!body.contains("\"v009\"")) throw new IllegalStateException("tag list without the loaded tags: " + body);
    return timed(pages, 1);
  }

  /** Each page {@code times} times round-robin, after a warm-up of 200 requests (the JIT); milliseconds each. */
  private static List<Double> timed(List<String> pages, int times) {
    for (int i = 0; i < 200; i++) Http.get(pages.get(i % pages.size()));
    var millis = new ArrayList<Double>();
    for (int i = 0; i < times; i++) {
      for (String page : pages) {
        long start = System.nanoTime();
        Http.get(page);
        millis.add((System.nanoTime() - start) / 1e6);
      }
    }
    return millis;
  }

  /** How a new region's seeding ended: its seconds to {@code ready}, or the cap, and what happened if not seeded. */
  private record Seed(double seconds, String note) {}

  /**
   * Seconds from starting an empty region to its state {@code ready}: it seeds from the source, then catches up.
   * At the cap it gives up and returns the cap, so a full run ends in bounded time. A region that is ready without
   * the source's last repository in its own catalog did not seed (it gave up on the snapshot and follows the log,
   * which holds none of a loaded registry): that is reported, not counted as a seed.
   */
  private static Seed seed(BenchContext context, Fleet fleet, Path dataDir, Duration cap, int repositories) {
    long start = System.nanoTime();
    long deadline = start + cap.toNanos();
    try (var region = MeridianRegion.member(context.jar(), fleet, REGIONS.get(1), dataDir, context.workspace().logs(),
        List.of())) {
      while (!ready(region.url())) {
        if (!region.process().isAlive()) throw new IllegalStateException("the seeding region exited\n" + region.process().logTail());
        if (System.nanoTime() > deadline) {
          context.log("scale: the new region's status at the cap: %s", status(region.url()).replaceAll("\\s+", " "));
          return new Seed(cap.toSeconds(), " (not ready at this cap)");
        }
        Pause.millis(200);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String lastPage = Http.get(region.url() + "/v2/_catalog?n=1&last=" + repository(repositories - 2));
      if (!lastPage.contains(repository(repositories - 1))) return new Seed(seconds, " (NOT seeded: see its log)");
      return new Seed(seconds, "");
    }
  }

  private static boolean ready(String url) {
    return READY.matcher(status(url)).find();
  }

  private static String status(String url) {
    try {
      return Http.get(url + "/admin/v1/region");
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private static String repository(int k) {
    return String.format("scale/r%06d", k);
  }
}
