package dev.meridian.agent.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.admin.UnshippedWrite;
import dev.meridian.core.clock.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverDrillTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final UnshippedWrite MANIFEST_1 = new UnshippedWrite("manifest.put", "team/app", Optional.empty(), Optional.of(D1), "1.0");
  private static final UnshippedWrite TAG_1 = new UnshippedWrite("tag.put", "team/app", Optional.of("v1"), Optional.of(D1), "1.1");
  private static final UnshippedWrite BLOB = new UnshippedWrite("blob.put", "team/app", Optional.empty(), Optional.of(D2), "0.5");
  private static final UnshippedWrite LATE_TAG = new UnshippedWrite("tag.put", "team/app", Optional.of("late"), Optional.of(D2), "9.0");

  private final FakeClock clock = new FakeClock();
  private final FakeFleet fleet = new FakeFleet();
  private final FakeWorkload workload = new FakeWorkload();
  private final List<String> steps = fleet.steps;

  private FailoverDrill drill() {
    return new FailoverDrill(fleet, fleet, fleet, workload, clock, clock::advance, line -> { });
  }

  private DrillSettings settings() {
    return new DrillSettings(EAST, Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofMillis(500));
  }

  @Test
  void theRegionIsCutOffThenDrainedThenReconnectedAndRoutedToOnlyOnceCaughtUp() throws Exception {
    fleet.statuses.addAll(List.of(syncing(12, 3), syncing(5, 1), syncing(1.5, 1), ready()));
    workload.writes.add(new DrillWorkload.Write("drill/app", "w1", D2));
    fleet.serveEverywhere("drill", "app", "w1", D2);

    DrillReport report = drill().run(settings());

    assertThat(steps).containsExactly("isolate eastus", "disable eastus", "unshipped eastus", "workload start", "unshipped eastus",
        "reconnect eastus", "enable eastus", "workload stop");
    assertThat(report.passed()).isTrue();
    assertThat(report.routingRestored()).isTrue();
    assertThat(report.lagAtRestoreSeconds()).isLessThan(2);
    assertThat(report.catchUp()).isPresent();
    // Reconnected at 10 s, polled from 11.5 s every 0.5 s under the workload: lag 12, 5, 1.5 (caught up), ready (twice in a row).
    assertThat(report.catchUp().get()).isEqualTo(Duration.ofMillis(3_000));
    assertThat(report.finishedAt()).isAfterOrEqualTo(report.startedAt().plus(Duration.ofSeconds(20)));
    assertThat(fleet.routingEnabledAt).isEqualTo(report.reconnectedAt().plus(report.catchUp().get()));
  }

  @Test
  void theRpoIsWhatTheRegionHadNotShippedAtCutOverAsImageReferences() throws Exception {
    fleet.unshipped.add(List.of(BLOB, MANIFEST_1, TAG_1));
    fleet.unshipped.add(List.of(BLOB, MANIFEST_1, TAG_1, LATE_TAG));
    fleet.statuses.add(ready());
    fleet.serveEverywhere("team/app", "v1", D1);
    fleet.serveEverywhere("team/app", "late", D2);

    DrillReport report = drill().run(settings());

    assertThat(report.rpo()).containsExactly("team/app:v1");
    assertThat(report.rpoWrites()).isEqualTo(3);
    assertThat(report.acknowledgedWhileOut()).containsExactly("team/app:late");
    assertThat(report.converged()).isTrue();
  }

  @Test
  void aRegionThatNeverCatchesUpIsRoutedToAgainOnlyAtTheEndAndFailsTheDrill() throws Exception {
    fleet.statuses.add(syncing(30, 5)); // repeated for ever

    DrillReport report = drill().run(settings());

    assertThat(steps).containsOnlyOnce("workload stop", "enable eastus");
    assertThat(steps.indexOf("enable eastus")).isGreaterThan(steps.indexOf("workload stop"));
    assertThat(report.routingRestored()).isTrue();
    assertThat(report.catchUp()).isEmpty();
    assertThat(report.passed()).isFalse();
    assertThat(DrillReportFormat.text(report)).contains("yes, at the end of the drill, not caught up");
  }

  @Test
  void aRegionAlreadyOutOfRoutingIsRefusedBeforeAnythingIsTouched() {
    fleet.routingEnabled = false;

    assertThatThrownBy(() -> drill().run(settings())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already out of routing");
    assertThat(steps).isEmpty();
  }

  @Test
  void aFailedDrainIsUndoneToo() {
    fleet.failDisable = true;

    assertThatThrownBy(() -> drill().run(settings())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("front door down").hasMessageContaining("is in routing");
    assertThat(steps).containsExactly("isolate eastus", "disable eastus", "reconnect eastus", "enable eastus");
    assertThat(fleet.routingEnabled).isTrue();
  }

  @Test
  void aRestoreThatFailsTooSaysSo() {
    fleet.failUnshippedAfterCutOver = true;
    fleet.failEnable = true;

    assertThatThrownBy(() -> drill().run(settings())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not be restored").satisfies(e -> assertThat(e.getCause().getSuppressed()).hasSize(1));
  }

  @Test
  void aRegionServingSomethingElseAtTheEndIsReportedDivergent() throws Exception {
    fleet.statuses.add(ready());
    workload.writes.add(new DrillWorkload.Write("drill/app", "w1", D2));
    fleet.served.put(WEST + " drill/app:w1", D2); // eastus never gets it

    DrillReport report = drill().run(settings());

    assertThat(report.converged()).isFalse();
    assertThat(report.divergent()).singleElement().asString().startsWith("drill/app:w1 eastus=absent westeurope=sha256:2222");
    assertThat(report.passed()).isFalse();
  }

  @Test
  void clientErrorsFailTheDrill() throws Exception {
    fleet.statuses.add(ready());
    workload.errors.add("PUT /v2/drill/app/manifests/w2: 503 UNAVAILABLE");

    DrillReport report = drill().run(settings());

    assertThat(report.workload().errors()).hasSize(1);
    assertThat(report.passed()).isFalse();
  }

  @Test
  void aFailingStepReconnectsTheRegionAndRestoresItsRouting() {
    fleet.failUnshippedAfterCutOver = true;

    assertThatThrownBy(() -> drill().run(settings())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was reconnected and is in routing");
    assertThat(steps).containsSubsequence("workload start", "workload stop", "reconnect eastus", "enable eastus");
    assertThat(fleet.routingEnabled).isTrue();
  }

  @Test
  void aSyncingRegionWithNoTransferPendingIsStillReplayingAndNotCaughtUp() {
    Duration threshold = Duration.ofSeconds(2);
    assertThat(FailoverDrill.caughtUp(new FleetView.RegionSnapshot("syncing", 0, 0, 0), threshold)).isFalse();
    assertThat(FailoverDrill.caughtUp(new FleetView.RegionSnapshot("syncing", 1, 4, 0), threshold)).isTrue();
    assertThat(FailoverDrill.caughtUp(new FleetView.RegionSnapshot("ready", 0, 0, 2), threshold)).isFalse();
    assertThat(FailoverDrill.caughtUp(new FleetView.RegionSnapshot("degraded", 0, 0, 0), threshold)).isFalse();
    assertThat(FailoverDrill.caughtUp(new FleetView.RegionSnapshot("syncing", 2, 1, 0), threshold)).isFalse();
  }

  @Test
  void anUnknownRegionIsRefusedBeforeAnythingIsTouched() {
    assertThatThrownBy(() -> drill().run(DrillSettings.of(new RegionId("nowhere"), Duration.ofSeconds(1), Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere");
    assertThat(steps).isEmpty();
  }

  private static FleetView.RegionSnapshot syncing(double lag, long transfers) {
    return new FleetView.RegionSnapshot("syncing", lag, transfers, 0);
  }

  private static FleetView.RegionSnapshot ready() {
    return new FleetView.RegionSnapshot("ready", 0, 0, 0);
  }

  private final class FakeFleet implements FleetView, RegionCut, RoutingControl {
    final List<String> steps = new ArrayList<>();
    final Deque<FleetView.RegionSnapshot> statuses = new ArrayDeque<>();
    final Deque<List<UnshippedWrite>> unshipped = new ArrayDeque<>();
    final Map<String, String> served = new HashMap<>();
    Instant routingEnabledAt;
    boolean routingEnabled = true;
    boolean failUnshippedAfterCutOver;
    boolean failDisable;
    boolean failEnable;

    void serveEverywhere(String repository, String tag, String digest) {
      for (RegionId r : regions()) served.put(r + " " + repository + ":" + tag, digest);
    }

    void serveEverywhere(String namespace, String name, String tag, String digest) {
      serveEverywhere(namespace + "/" + name, tag, digest);
    }

    @Override
    public List<RegionId> regions() {
      return List.of(EAST, WEST);
    }

    @Override
    public RegionSnapshot status(RegionId region) {
      return statuses.size() > 1 ? statuses.poll() : statuses.peek();
    }

    @Override
    public Optional<String> resolve(RegionId region, String repository, String tag) {
      return Optional.ofNullable(served.get(region + " " + repository + ":" + tag));
    }

    @Override
    public void isolate(RegionId region) {
      steps.add("isolate " + region);
    }

    @Override
    public List<UnshippedWrite> unshipped(RegionId region) {
      steps.add("unshipped " + region);
      if (failUnshippedAfterCutOver && steps.contains("workload start")) throw new IllegalStateException("admin API down");
      return unshipped.size() > 1 ? unshipped.poll() : Optional.ofNullable(unshipped.peek()).orElse(List.of());
    }

    @Override
    public void reconnect(RegionId region) {
      steps.add("reconnect " + region);
    }

    @Override
    public boolean isEnabled(RegionId region) {
      return routingEnabled;
    }

    @Override
    public void disable(RegionId region) {
      steps.add("disable " + region);
      routingEnabled = false;
      if (failDisable) throw new IllegalStateException("front door down");
    }

    @Override
    public void enable(RegionId region) {
      steps.add("enable " + region);
      if (failEnable) throw new IllegalStateException("topology unavailable");
      routingEnabled = true;
      routingEnabledAt = clock.instant();
    }
  }

  private final class FakeWorkload implements DrillWorkload {
    final List<Write> writes = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override
    public void start() {
      steps.add("workload start");
    }

    @Override
    public Result stop() {
      steps.add("workload stop");
      return new Result(writes, writes.size(), errors);
    }
  }

  private static final class FakeClock extends Clock {
    private Instant now = Instant.parse("2026-11-27T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
