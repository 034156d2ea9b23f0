package dev.meridian.chaos.scenarios;

import dev.meridian.chaos.ConvergenceChecker;
import dev.meridian.chaos.FleetObserver;
import dev.meridian.chaos.Workload;
import dev.meridian.chaos.fleet.ChaosFleet;
import dev.meridian.chaos.fleet.RegionClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What every scenario shares: a fresh fleet per test under {@code target/chaos-runs/<class>/<method>/}
 * (kept afterwards, logs included), a seeded workload over it, and the convergence check. After a failure the
 * processes' log tails are printed (failsafe keeps them in the test's output file).
 */
abstract class ChaosScenario {
  static final List<String> REGIONS = List.of("eastus", "westeurope", "southeastasia");
  static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(90);

  ChaosFleet fleet;
  Workload workload;

  @RegisterExtension
  final TestWatcher logsOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (fleet != null) System.err.println(fleet.logTails());
    }
  };

  /** The regions this scenario's fleet runs; three unless a scenario says otherwise. */
  List<String> regions() {
    return REGIONS;
  }

  @BeforeEach
  void startFleet(TestInfo test) {
    Path dir = Path.of("target", "chaos-runs", getClass().getSimpleName(), test.getTestMethod().orElseThrow().getName());
    fleet = ChaosFleet.start(dir, regions(), agentArguments(), this::beforeAgentsStart);
    long seed = Long.getLong("chaos.seed", test.getDisplayName().hashCode());
    System.out.println("workload seed " + seed + " (rerun with -Dchaos.seed=" + seed + ")");
    workload = new Workload(clients(), seed, List.of("team-a/app", "team-b/tool"), List.of("v1", "v2", "latest"));
  }

  @AfterEach
  void stopFleet() {
    if (fleet != null) fleet.close();
  }

  /** More {@code serve} arguments per region; none unless a scenario says otherwise. */
  Map<String, List<String>> agentArguments() {
    return Map.of();
  }

  /** Runs once the fleet's directories exist, before any process starts. */
  void beforeAgentsStart(ChaosFleet fleet) {}

  List<RegionClient> clients() {
    return regions().stream().map(fleet::client).toList();
  }

  /** How long the fleet may take to converge once the faults stopped. */
  Duration convergenceTimeout() {
    return CONVERGENCE_TIMEOUT;
  }

  /** Every region serves the same, completely, and no acknowledged write was lost. */
  void assertConverges() {
    ConvergenceChecker.awaitConverged(() -> FleetObserver.observe(clients(), workload.history()),
        workload.history(), convergenceTimeout());
  }
}
