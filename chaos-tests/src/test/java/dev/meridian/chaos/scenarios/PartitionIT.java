package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.chaos.Write;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One region is cut off from the broker and from every peer for 30 s while both sides take writes. */
class PartitionIT extends ChaosScenario {
  private static final Duration PARTITION = Duration.ofSeconds(30);

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void bothSidesOfAPartitionTakeWritesAndTheFleetConvergesAfterItHeals() {
    String isolated = "southeastasia";
    List<String> majority = List.of("eastus", "westeurope");
    workload.run(6);

    fleet.partition(isolated);
    int before = workload.history().size();
    long start = System.nanoTime();
    // Awaitility paces the writes (one on each side per tick) until the partition has lasted its 30 s.
    await("a 30 s partition with writes on both sides").atMost(PARTITION.plusSeconds(30))
        .pollInterval(Duration.ofMillis(400))
        .until(() -> {
          workload.step(List.of(isolated));
          workload.step(majority);
          return System.nanoTime() - start >= PARTITION.toNanos();
        });
    var during = workload.history().subList(before, workload.history().size());
    assertThat(during).extracting(Write::region).contains(isolated).containsAnyOf(majority.toArray(String[]::new));
    assertThat(during.stream().filter(w -> w.region().equals(isolated)))
        .as("the isolated region keeps acknowledging writes").allSatisfy(w -> assertThat(w.acked()).isPresent());

    fleet.healAll();
    workload.run(4);
    assertConverges();
  }
}
