package dev.meridian.bench.scenario;

import dev.meridian.bench.BenchContext;
import dev.meridian.bench.Result;
import dev.meridian.bench.Scenario;
import dev.meridian.bench.Stats;
import dev.meridian.bench.Target;
import dev.meridian.bench.harness.Fleet;
import dev.meridian.bench.harness.Http;
import dev.meridian.bench.harness.KafkaBroker;
import dev.meridian.bench.harness.LagHistogram;
import dev.meridian.bench.harness.MeridianRegion;
import dev.meridian.bench.harness.OciLayout;
import dev.meridian.bench.harness.Pause;
import dev.meridian.bench.harness.SmallImage;
import dev.meridian.bench.harness.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 3: replication lag at a steady rate of small pushes across three regions. Pushes go to
 * {@code eastus} at a fixed rate (each a new manifest and tag over a small config and layer every region
 * already holds, so the manifest itself is what travels). Lag is each replica's own record of every push: its
 * {@code meridian_replication_lag_seconds} histogram, from the origin's write (the clock of the event, taken just
 * before the 201) to the manifest being complete there, so it includes relay, Kafka, replay and the manifest's
 * transfer. Scraped before and after a window, the difference holds that window's pushes alone.
 *
 * <p>Until this was the measure, observers polled every push in each other region until it was pullable (HEAD
 * every 2 ms after a miss). That is exact, but its cost grows with the lag it measures: on a machine at half speed,
 * with p50 near 70 ms, {@code perf} put the bench process at ~19% of the machine (mostly its HTTP client and the
 * watchers) and each replica's event loop, answering them, at ~6%, on the same two cores the replication needed.
 * The observers now poll one push in ten, so the agents' figure is checked against an outside one at a tenth of the
 * cost (an info row).
 *
 * <p>One fleet serves every repetition (a window of pushes) after two minutes of untimed pushes at the same rate, and
 * more while the agents' JIT compilers are still busy ({@code jvm_compilation_time_ms_total}, each window's share
 * logged); the figures are the medians of the timed windows' p50, p99 and max.
 */
public final class LagScenario implements Scenario {
  private static final int RATE_PER_SECOND = 50;
  private static final int REPOSITORIES = 10;
  private static final List<String> REGIONS = List.of("eastus", "westeurope", "southeastasia");
  /** Where every push goes. */
  private static final String ORIGIN = REGIONS.get(0);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  /** Untimed pushes at the same rate before the first timed window, at least (see {@link #run}). */
  private static final Duration WARM_UP = Duration.ofMinutes(2);
  /** Further untimed rounds of pushes while the agents' compilers are still busy, each this long (see {@link #run}). */
  private static final Duration WARM_UP_ROUND = Duration.ofSeconds(30);
  /** At most this many further rounds: the warm-up ends after six minutes, settled or not (the log says which). */
  private static final int WARM_UP_ROUNDS_MAX = 8;
  /**
   * The agents' compilers count as settled once busy for less than this share of a round, per agent (elapsed time,
   * which on two saturated cores runs ahead of the CPU time a compilation gets). The apply scenario's rule too.
   */
  static final double SETTLED_JIT_SHARE = 0.40;
  /** How often the observer asks for every pending push, not only each repository's oldest. */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);
  /** Set by {@code --lag-seconds}. */
  public static final String WINDOW_SECONDS_PROPERTY = "meridian.bench.lag.seconds";

  @Override
  public String name() {
    return "lag";
  }

  @Override
  public List<Result> run(BenchContext context) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("lag");
    int pushesPerWindow = (int) context.size(windowSeconds() * RATE_PER_SECOND, RATE_PER_SECOND);
    var p50 = new ArrayList<Double>();
    var p99 = new ArrayList<Double>();
    var max = new ArrayList<Double>();
    var observedP50 = new ArrayList<Double>();
    var rate = new ArrayList<Double>();
    try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
      Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), REGIONS, 8);
      var regions = new ArrayList<MeridianRegion>();
      try {
        for (String region : REGIONS) {
          regions.add(MeridianRegion.member(context.jar(), fleet, region, dir.resolve(region), workspace.logs(), List.of()));
        }
        var image = new SmallImage(300);
        String origin = regions.get(0).url();
        for (int r = 0; r < REPOSITORIES; r++) {
          image.pushBlobs(origin, repository(r));
          Http.putManifest(origin, repository(r), "warmup", OciLayout.MANIFEST, image.manifest("warmup"));
        }
        for (MeridianRegion region : regions.subList(1, regions.size())) {
          for (int r = 0; r < REPOSITORIES; r++) {
            ReplicationScenario.awaitReplicated(region.url(), repository(r), List.of("warmup"), SETTLE_TIMEOUT);
          }
        }
        // Untimed pushes first, at the same rate, for WARM_UP and then for as long as the agents' compilers are still
        // busy (WARM_UP_ROUND at a time, at most WARM_UP_ROUNDS_MAX more): the issue asks for lag at a steady rate, and
        // a registry is a long-running process. On a 2-core machine running three agents and a broker, each agent's
        // JIT compiles for minutes of pushes at this rate (LogCompilation: 125 s of C2 time in the first 135 s of an
        // agent's life on a quiet day), and lag p50 falls window by window while it does: on a slower day, after two
        // minutes, 72, 59, 35, 30, 39 ms in five 30 s windows whose compilers were busy 100, 100, 98, 74 and 29% of
        // the window per agent. A timed window that began while they still were measured the machine's compile speed.
        int warmupPushes = (int) context.size(WARM_UP.toSeconds() * RATE_PER_SECOND, RATE_PER_SECOND);
        Window warmup = window(context, image, regions, 0, warmupPushes);
        context.log("lag warm-up (not counted): %d pushes at %.1f/s, %s", warmupPushes, warmupPushes / warmup.seconds(),
            warmup.describe());
        int rounds = 0;
        for (; rounds < context.size(WARM_UP_ROUNDS_MAX, 0) && warmup.jitShare() >= SETTLED_JIT_SHARE; rounds++) {
          int pushes = (int) (WARM_UP_ROUND.toSeconds() * RATE_PER_SECOND);
          warmup = window(context, image, regions, -1 - rounds, pushes);
          context.log("lag warm-up round %d (not counted, compilers still busy): %d pushes at %.1f/s, %s", rounds + 1,
              pushes, pushes / warmup.seconds(), warmup.describe());
        }
        if (warmup.jitShare() >= SETTLED_JIT_SHARE && rounds > 0) {
          context.log("lag: the agents' compilers were still busy after %d warm-up rounds; timing anyway", rounds);
        }
        for (int window = 0; window < context.repetitions(); window++) {
          Window measured = window(context, image, regions, window + 1, pushesPerWindow);
          p50.add(measured.agents().percentileMillis(50));
          p99.add(measured.agents().percentileMillis(99));
          max.add(measured.agents().maxMillis());
          observedP50.add(Stats.percentile(measured.observed(), 50));
          rate.add(pushesPerWindow / measured.seconds());
          context.log("lag window %d: %d pushes at %.1f/s, %s", window + 1, pushesPerWindow, rate.get(window),
              measured.describe());
        }
      } finally {
        regions.forEach(MeridianRegion::close);
      }
    } finally {
      Workspace.delete(dir);
    }
    int reps = context.repetitions();
    return List.of(
        Result.alone(name(), "push rate achieved", "pushes/s", Stats.median(rate), Target.atLeast(RATE_PER_SECOND * 0.95), reps),
        Result.alone(name(), "lag p50, 3 regions", "ms", Stats.median(p50), Target.atMost(50), reps),
        Result.alone(name(), "lag p99, 3 regions", "ms", Stats.median(p99), Target.atMost(250), reps),
        Result.alone(name(), "lag max, 3 regions", "ms", Stats.median(max), Target.NONE, reps),
        Result.alone(name(), "lag p50, 3 regions, HEAD polls of one push in " + OBSERVED_ONE_IN, "ms",
            Stats.median(observedP50), Target.NONE, reps));
  }

  /**
   * A window's pushing wall time, the replicas' histograms of its pushes together, and the observers' lags (ms) of
   * the pushes they polled.
   */
  private record Window(double seconds, LagHistogram agents, List<Double> observed, double jitShare) {
    String describe() {
      return String.format(Locale.ROOT, "lag ms p50 %.1f p99 %.1f max <= %.1f (agents' histograms, %d manifests);"
          + " HEAD polls of %d pushes p50 %.1f p99 %.1f; compilers busy %.0f%% of the window per agent",
          agents.percentileMillis(50), agents.percentileMillis(99), agents.maxMillis(), agents.count(),
          observed.size(), Stats.percentile(observed, 50), Stats.percentile(observed, 99), 100 * jitShare);
    }
  }

  /** The pushes the observers poll: one in {@value #OBSERVED_ONE_IN}, each repository's in turn. */
  static final int OBSERVED_ONE_IN = 10;

  static boolean observed(int push) {
    return push % REPOSITORIES == (push / REPOSITORIES) % OBSERVED_ONE_IN;
  }

  /** Each replica's histogram of manifests from the origin, now. */
  private static List<LagHistogram> scrape(List<MeridianRegion> replicas) {
    return replicas.stream().map(r -> LagHistogram.parse(Http.get(r.url() + "/metrics"), ORIGIN)).toList();
  }

  /**
   * Waits until every replica has recorded {@code expected} more manifests than {@code before} shows (each push,
   * once, when it is complete there), then returns their windows together. A push missing after the settle
   * timeout fails the window: it never replicated, which is a fault, not a lag.
   */
  private static LagHistogram settle(List<MeridianRegion> replicas, List<LagHistogram> before, long expected) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (true) {
      List<LagHistogram> now = scrape(replicas);
      LagHistogram total = null;
      boolean complete = true;
      for (int i = 0; i < replicas.size(); i++) {
        LagHistogram window = now.get(i).minus(before.get(i));
        complete &= window.count() >= expected;
        total = total == null ? window : total.plus(window);
      }
      if (complete) return total;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not every push of the window replicated within " + SETTLE_TIMEOUT
            + ": expected " + expected + " in each of " + replicas.stream().map(MeridianRegion::region).toList());
      }
      Pause.millis(200);
    }
  }

  /** A window's length: 30 s, or {@code --lag-seconds N} (a shorter window while iterating, a longer one to soak). */
  private static long windowSeconds() {
    return Long.getLong(WINDOW_SECONDS_PROPERTY, 30);
  }

  private static String repository(int r) {
    return "lag/r" + r;
  }

  /** Runs one window of pushes and measures their lags. */
  private static Window window(BenchContext context, SmallImage image, List<MeridianRegion> regions, int window,
      int pushes) {
    var acked = new AtomicLongArray(pushes); // nanoTime of the 201; 0 not yet; -1 failed
    var submitted = new AtomicInteger();
    String origin = regions.get(0).url();
    List<MeridianRegion> replicas = regions.subList(1, regions.size());
    List<LagHistogram> before = scrape(replicas);
    long compiledBefore = MeridianRegion.compilationMillis(regions);
    ExecutorService pushers = Executors.newFixedThreadPool(8);
    ExecutorService observers = Executors.newFixedThreadPool((regions.size() - 1) * (REPOSITORIES + 1));
    try {
      var observed = new ArrayList<Future<List<Double>>>();
      for (MeridianRegion region : regions.subList(1, regions.size())) {
        observed.add(observers.submit(() -> observe(context, observers, region.url(), window, pushes, acked, submitted)));
      }
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
      for (int i = 0; i < pushes; i++) {
        long due = start + i * interval;
        for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
        int push = i;
        pushers.execute(() -> {
          try {
            Http.putManifest(origin, repository(push % REPOSITORIES), tag(window, push), OciLayout.MANIFEST,
                image.manifest(window + "-" + push));
            acked.set(push, System.nanoTime());
          } catch (RuntimeException e) {
            acked.set(push, -1);
            context.log("lag: push %d failed: %s", push, e.getMessage());
          }
          synchronized (acked) {
            acked.notifyAll(); // observers waiting for a push to watch
          }
        });
        submitted.set(i + 1);
      }
      pushers.shutdown();
      pushers.awaitTermination(1, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      var lags = new ArrayList<Double>();
      for (Future<List<Double>> f : observed) lags.addAll(f.get());
      long accepted = 0;
      for (int i = 0; i < pushes; i++) if (acked.get(i) > 0) accepted++;
      LagHistogram agents = settle(replicas, before, accepted);
      return new Window(seconds, agents, lags, MeridianRegion.jitShare(regions, compiledBefore, start));
    } catch (Exception e) {
      throw new IllegalStateException("lag window failed", e);
    } finally {
      pushers.shutdownNow();
      observers.shutdownNow();
    }
  }

  /** The tag of one push: {@code w<window>-p<push>}, warm-up rounds after the first numbered below 0. */
  private static String tag(int window, int push) {
    return "w" + window + "-p" + push;
  }

  /**
   * Watches one region for every acknowledged push it {@link #observed observes}; returns each one's lag in ms (a
   * push never seen counts as the timeout). One thread per repository, so a repository's HEADs never wait for
   * another's: a push is first asked for right after its 201 (the pushers wake the watchers), then again 2 ms after
   * each miss until it is there.
   * It asks with read-through off ({@link Http#localStatus}): a plain HEAD of a tag not replicated yet makes the
   * region fetch it from the origin, so the observer would measure (and cause) read-through. Each repository's
   * watcher asks for its pending pushes oldest first and stops at the first one not there yet (one repository's
   * events replay in order, so a later tag is rarely there before an earlier one); every second it asks for every
   * pending push, so a push that overtook an earlier one is still seen within about a second. The rounds'
   * durations are logged: the measurement's resolution.
   */
  private static List<Double> observe(BenchContext context, ExecutorService threads, String registry, int window,
      int pushes, AtomicLongArray acked, AtomicInteger submitted) throws Exception {
    var watchers = new ArrayList<Future<Watch>>();
    for (int r = 0; r < REPOSITORIES; r++) {
      int repository = r;
      watchers.add(threads.submit(() -> watch(registry, window, repository, pushes, acked, submitted)));
    }
    var lags = new ArrayList<Double>();
    var rounds = new ArrayList<Double>();
    for (Future<Watch> w : watchers) {
      lags.addAll(w.get().lags());
      rounds.addAll(w.get().rounds());
    }
    context.log("lag observer %s: %d rounds, round ms p50 %.1f p99 %.1f (plus a 2 ms pause after a miss)", registry,
        rounds.size(), Stats.percentile(rounds, 50), Stats.percentile(rounds, 99));
    return lags;
  }

  /** One repository's lags (ms) and its watcher's round times (ms). */
  private record Watch(List<Double> lags, List<Double> rounds) {}

  private static Watch watch(String registry, int window, int repository, int pushes, AtomicLongArray acked,
      AtomicInteger submitted) throws InterruptedException {
    var lags = new ArrayList<Double>();
    var rounds = new ArrayList<Double>();
    var pending = new ArrayList<Integer>();
    boolean[] tracked = new boolean[pushes];
    int scanFrom = repository;
    long deadline = Long.MAX_VALUE;
    long nextSweep = System.nanoTime();
    while (scanFrom < pushes || !pending.isEmpty()) {
      int upTo = submitted.get();
      for (int i = scanFrom; i < upTo; i += REPOSITORIES) {
        long ack = acked.get(i);
        if (!tracked[i] && ack != 0) {
          tracked[i] = true;
          if (ack > 0 && observed(i)) pending.add(i);
        }
      }
      while (scanFrom < pushes && tracked[scanFrom]) scanFrom += REPOSITORIES;
      if (upTo == pushes && deadline == Long.MAX_VALUE) deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
      if (pending.isEmpty()) {
        if (scanFrom >= pushes) break;
        synchronized (acked) {
          if (acked.get(scanFrom) == 0) acked.wait(5); // woken by the next 201
        }
        continue;
      }
      long round = System.nanoTime();
      boolean sweep = round >= nextSweep;
      if (sweep) nextSweep = round + SWEEP_EVERY.toNanos();
      pending.sort(null);
      boolean missed = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        int i = it.next();
        if (Http.localStatus("HEAD", registry + "/v2/" + repository(repository) + "/manifests/" + tag(window, i)) != 200) {
          missed = true;
          if (sweep) continue;
          break;
        }
        lags.add((System.nanoTime() - acked.get(i)) / 1e6);
        it.remove();
      }
      rounds.add((System.nanoTime() - round) / 1e6);
      if (System.nanoTime() > deadline) {
        pending.forEach(i -> lags.add((double) SETTLE_TIMEOUT.toMillis()));
        break;
      }
      if (missed) Pause.millis(2);
    }
    return new Watch(lags, rounds);
  }
}
