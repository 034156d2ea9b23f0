package dev.meridian.agent.drill;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.UnshippedWrite;
import dev.meridian.core.clock.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failover drill, in phases: cut the region off from replication (as a partition would), take it out of
 * routing (the cut-over: what it acknowledged and had not shipped by then is the RPO), run client traffic
 * through the global endpoint, reconnect the region halfway, wait until its lag is under the threshold, only
 * then route to it again, and check that every region serves the same thing for every reference touched.
 *
 * <p>The logic only: the fleet, routing and clients come in behind interfaces, time as a {@link Clock} and a
 * {@link Pause}. The drill leaves routing as it found it, whatever happens: a region that does not catch up in
 * time is routed to again at the end of the drill (reported as not caught up, so the drill fails), and if a step
 * fails the region is reconnected and routed to again before the exception, which says whether that worked. A
 * drain through the replicated topology outlives the drill's process, so leaving it would be a lasting outage.
 * A region already out of routing is refused: restoring it afterwards would undo an operator's decision.
 */
public final class FailoverDrill {
  private static final Logger log = LoggerFactory.getLogger(FailoverDrill.class);
  /** Status samples are a second apart: one taken before reconnecting may still look idle. */
  static final Duration SETTLE = Duration.ofMillis(1500);

  private final FleetView fleet;
  private final RegionCut cut;
  private final RoutingControl routing;
  private final DrillWorkload workload;
  private final Clock clock;
  private final Pause pause;
  private final Consumer<String> progress;

  public FailoverDrill(FleetView fleet, RegionCut cut, RoutingControl routing, DrillWorkload workload, Clock clock, Pause pause,
      Consumer<String> progress) {
    this.fleet = requireNonNull(fleet, "fleet");
    this.cut = requireNonNull(cut, "cut");
    this.routing = requireNonNull(routing, "routing");
    this.workload = requireNonNull(workload, "workload");
    this.clock = requireNonNull(clock, "clock");
    this.pause = requireNonNull(pause, "pause");
    this.progress = requireNonNull(progress, "progress");
  }

  public DrillReport run(DrillSettings settings) throws InterruptedException {
    RegionId region = settings.region();
    List<RegionId> regions = fleet.regions();
    if (!regions.contains(region)) throw new IllegalArgumentException("region " + region + " is not in the fleet " + regions);
    if (regions.size() < 2) throw new IllegalArgumentException("a failover drill needs another region to fail over to");
    if (!routing.isEnabled(region)) {
      throw new IllegalStateException("region " + region + " is already out of routing: restore it first "
          + "(a drill puts its region back into routing at the end)");
    }
    Instant started = clock.instant();
    boolean reconnected = false;
    boolean disabled = false;
    boolean restored = false;
    Traffic traffic = null;
    try {
      cut.isolate(region);
      progress.accept("isolated " + region + " from replication");
      disabled = true; // set first: a disable that failed halfway may still have taken effect
      routing.disable(region);
      Instant cutOver = clock.instant();
      List<UnshippedWrite> atCutOver = cut.unshipped(region);
      List<String> rpo = RpoReferences.of(atCutOver);
      progress.accept("cut over: " + region + " out of routing, " + rpo.size() + " image references not shipped");

      traffic = new Traffic(workload, clock.instant().plus(settings.duration()));
      pause.sleep(settings.duration().dividedBy(2));
      List<UnshippedWrite> atReconnect = cut.unshipped(region);
      cut.reconnect(region);
      reconnected = true;
      Instant reconnectedAt = clock.instant();
      progress.accept("reconnected " + region);

      // Catching up under the workload's traffic, as a region coming back would; routing returns as soon as it has.
      Optional<FleetView.RegionSnapshot> caughtUp = awaitCaughtUp(region, settings, reconnectedAt, traffic);
      Optional<Duration> catchUp = caughtUp.map(s -> Duration.between(reconnectedAt, clock.instant()));
      if (caughtUp.isPresent()) {
        routing.enable(region);
        restored = true;
        progress.accept("caught up in " + catchUp.get().toMillis() + " ms; " + region + " back in routing");
      } else {
        progress.accept(region + " did not catch up within " + settings.catchUpTimeout() + "; routing stays disabled until the end");
      }
      DrillWorkload.Result result = traffic.finish();
      progress.accept("workload done: " + result.writes().size() + " pushes, " + result.pulls() + " pulls, "
          + result.errors().size() + " errors");

      List<String> divergent = awaitConverged(regions, checks(result, atReconnect), settings);
      if (!restored) {
        routing.enable(region);
        restored = true;
        progress.accept(region + " back in routing at the end of the drill, without having caught up");
      }
      return new DrillReport(region.value(), regions.stream().map(RegionId::value).toList(), started, cutOver, reconnectedAt,
          clock.instant(), true, rpo, atCutOver.size(), RpoReferences.of(RpoReferences.since(atCutOver, atReconnect)), result,
          catchUp, caughtUp.map(FleetView.RegionSnapshot::lagSeconds).orElse(Double.NaN), restored,
          divergent.isEmpty(), divergent);
    } catch (RuntimeException | InterruptedException e) {
      boolean interrupted = e instanceof InterruptedException;
      if (traffic != null) {
        try {
          traffic.stop();
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      if (!reconnected) {
        try {
          cut.reconnect(region);
          reconnected = true;
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      if (disabled && !restored) {
        try {
          routing.enable(region);
          restored = true;
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      log.warn("drill.failed region={} reason={}", region, e.toString());
      throw new IllegalStateException("drill of " + region + " failed (" + e.getMessage() + "); " + region
          + (reconnected ? " was reconnected" : " may still be isolated (POST /admin/v1/region/isolation?isolated=false)")
          + (restored || !disabled ? " and is in routing" : ", and its routing could not be restored: restore it by hand"), e);
    }
  }

  /** Polls the region until its lag is under the threshold with nothing left to replay or ship; empty at the timeout. */
  private Optional<FleetView.RegionSnapshot> awaitCaughtUp(RegionId region, DrillSettings settings, Instant reconnectedAt,
      Traffic traffic) throws InterruptedException {
    Instant deadline = reconnectedAt.plus(settings.catchUpTimeout());
    Duration sinceReconnect = Duration.between(reconnectedAt, clock.instant());
    if (sinceReconnect.compareTo(SETTLE) < 0) pause.sleep(SETTLE.minus(sinceReconnect));
    int inARow = 0;
    while (true) {
      Optional<FleetView.RegionSnapshot> snapshot;
      try {
        snapshot = Optional.of(fleet.status(region));
      } catch (RuntimeException e) {
        snapshot = Optional.empty(); // a busy region may miss one answer; the deadline bounds it
      }
      if (snapshot.isPresent() && caughtUp(snapshot.get(), settings.lagThreshold())) {
        if (++inARow >= 2) return snapshot;
      } else {
        inARow = 0;
      }
      if (!clock.instant().isBefore(deadline)) return Optional.empty();
      traffic.stopIfDue();
      pause.sleep(settings.pollInterval());
    }
  }

  /** The workload, which runs until {@code end} whatever the drill is waiting for meanwhile. */
  private final class Traffic {
    private final DrillWorkload workload;
    private final Instant end;
    private DrillWorkload.Result result;

    Traffic(DrillWorkload workload, Instant end) {
      this.workload = workload;
      this.end = end;
      workload.start();
    }

    void stopIfDue() {
      if (result == null && !clock.instant().isBefore(end)) result = workload.stop();
    }

    void stop() {
      if (result == null) result = workload.stop();
    }

    /** Waits for the end, if it is still to come, and stops. */
    DrillWorkload.Result finish() throws InterruptedException {
      Duration left = Duration.between(clock.instant(), end);
      if (result == null && !left.isNegative() && !left.isZero()) pause.sleep(left);
      stop();
      return result;
    }
  }

  /**
   * Caught up: not degraded, its own writes shipped, the oldest manifest still arriving younger than the
   * threshold, and nothing left to replay ({@code syncing} with no transfer pending means replay is behind).
   */
  static boolean caughtUp(FleetView.RegionSnapshot s, Duration threshold) {
    if (s.state().equals("degraded") || s.outboxBacklog() > 0) return false;
    if (s.lagSeconds() * 1000 >= threshold.toMillis()) return false;
    return s.state().equals("ready") || s.pendingTransfers() > 0;
  }

  /** What every region must serve alike: each workload tag (its digest), and each tag the region had not shipped. */
  private static Map<String, Optional<String>> checks(DrillWorkload.Result traffic, List<UnshippedWrite> unshipped) {
    Map<String, Optional<String>> expected = new LinkedHashMap<>();
    for (DrillWorkload.Write w : traffic.writes()) expected.put(w.repository() + ":" + w.tag(), Optional.of(w.digest()));
    for (UnshippedWrite w : unshipped) {
      if (w.tag().isPresent()) expected.putIfAbsent(w.repository() + ":" + w.tag().get(), Optional.empty());
    }
    return expected;
  }

  /** Polls until every region serves the same digest for every reference (the expected one when known). */
  private List<String> awaitConverged(List<RegionId> regions, Map<String, Optional<String>> expected, DrillSettings settings)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(settings.convergeTimeout());
    while (true) {
      List<String> divergent = new ArrayList<>();
      for (Map.Entry<String, Optional<String>> e : expected.entrySet()) {
        int colon = e.getKey().lastIndexOf(':');
        String repository = e.getKey().substring(0, colon);
        String tag = e.getKey().substring(colon + 1);
        Map<RegionId, Optional<String>> served = new LinkedHashMap<>();
        for (RegionId r : regions) served.put(r, resolve(r, repository, tag));
        boolean alike = served.values().stream().distinct().count() == 1;
        boolean right = e.getValue().isEmpty() || served.values().stream().allMatch(e.getValue()::equals);
        if (!alike || !right) divergent.add(e.getKey() + " " + describe(served));
      }
      if (divergent.isEmpty() || !clock.instant().isBefore(deadline)) return divergent;
      pause.sleep(settings.pollInterval());
    }
  }

  private Optional<String> resolve(RegionId region, String repository, String tag) {
    try {
      return fleet.resolve(region, repository, tag);
    } catch (RuntimeException e) {
      return Optional.of("error: " + e.getMessage());
    }
  }

  private static String describe(Map<RegionId, Optional<String>> served) {
    List<String> parts = new ArrayList<>();
    served.forEach((r, d) -> parts.add(r + "=" + d.map(FailoverDrill::shortDigest).orElse("absent")));
    return String.join(" ", parts);
  }

  private static String shortDigest(String digest) {
    return digest.startsWith("sha256:") && digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
