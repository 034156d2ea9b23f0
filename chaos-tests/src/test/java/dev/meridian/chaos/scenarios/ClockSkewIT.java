package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.chaos.Workload.Image;
import dev.meridian.chaos.fleet.RegionClient;
import dev.meridian.core.digest.Digest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * eastus runs 5 minutes behind, westeurope 5 minutes ahead ({@code serve --clock-offset}). Two concurrent moves of
 * one tag converge on one winner everywhere (the higher HLC: the fast clock's, as the merge rule says), and a
 * move made in the slow region after it saw the other wins although its wall clock is 10 minutes behind: the HLC
 * orders what was seen before what is written.
 */
class ClockSkewIT extends ChaosScenario {
  private static final String SLOW = "eastus";
  private static final String FAST = "westeurope";
  private static final String REPO = "team-a/app";
  private static final String TAG = "v1";

  @Override
  Map<String, List<String>> agentArguments() {
    return Map.of(SLOW, List.of("--clock-offset=-5m"), FAST, List.of("--clock-offset=+5m"));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void concurrentTagMovesConvergeAndALaterMoveFromTheSlowClockRegionWins() {
    RegionClient slow = fleet.client(SLOW);
    RegionClient fast = fleet.client(FAST);
    assertThat(fleet.agent(SLOW).logFile()).content().contains("clock offset -300000 ms");

    // Concurrent: the slow region is cut off, so neither write can have seen the other.
    fleet.partition(SLOW);
    Image fromSlow = workload.pushImage(slow, REPO, TAG, 2048);
    Image fromFast = workload.pushImage(fast, REPO, TAG, 2048);
    fleet.healAll();

    await("every region serves one winner of the concurrent moves").atMost(convergenceTimeout()).ignoreExceptions()
        .untilAsserted(() -> {
          for (RegionClient region : clients()) assertThat(servedLocally(region)).contains(fromFast.digest());
        });
    assertThat(fromSlow.digest()).isNotEqualTo(fromFast.digest());

    // The slow region has replayed the fast one's move (not fetched it on demand): its clock has seen that HLC.
    Image later = workload.pushImage(slow, REPO, TAG, 2048);
    await("the later move from the slow clock wins everywhere").atMost(convergenceTimeout()).ignoreExceptions()
        .untilAsserted(() -> {
          for (RegionClient region : clients()) assertThat(servedLocally(region)).contains(later.digest());
        });
    assertConverges();
  }

  /** What a region serves from its own state: the chaos client marks its requests internal, so none reads through. */
  private static Optional<Digest> servedLocally(RegionClient region) {
    return region.headManifest(REPO, TAG);
  }
}
