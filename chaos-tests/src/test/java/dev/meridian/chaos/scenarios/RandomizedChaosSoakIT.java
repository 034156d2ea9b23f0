package dev.meridian.chaos.scenarios;

import static org.awaitility.Awaitility.await;

import dev.meridian.chaos.fleet.Fault;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The long randomized mix, run only by {@code mvn verify -Pchaos-soak} (CI does not): for
 * {@code -Dchaos.soak.minutes} (default 10) it picks a random fault (a partition, kill -9 of an agent or of
 * the broker, a slow, lossy or resetting link, added latency), holds it 5-20 s under a steady workload, heals
 * it, and every fifth round waits for the fleet to converge and checks the writes so far.
 *
 * <p>Convergence may take up to 6 minutes here: a transfer job that failed while every peer's circuit breaker
 * was open backs off like any failed job, doubling up to the 5 minute {@code jobMaxBackoff}, so after a long
 * mix of faults a region may wait that long before it asks again even though its peers are long healthy.
 */
class RandomizedChaosSoakIT extends ChaosScenario {
  @Override
  Duration convergenceTimeout() {
    return Duration.ofMinutes(6);
  }

  @Test
  void theFleetConvergesAfterEveryRoundOfARandomFaultMix() {
    long minutes = Long.getLong("chaos.soak.minutes", 10);
    var random = new Random(Long.getLong("chaos.seed", 1L));
    long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
    for (int round = 1; System.nanoTime() < end; round++) {
      String region = REGIONS.get(random.nextInt(REGIONS.size()));
      Runnable undo = inject(random.nextInt(7), region, random);
      long hold = System.nanoTime() + Duration.ofSeconds(5 + random.nextInt(16)).toNanos();
      // Awaitility paces the workload (one write per tick) until the fault has been held long enough.
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            workload.run(1);
            return System.nanoTime() >= hold;
          });
      undo.run();
      if (round % 5 == 0) assertConverges();
    }
    assertConverges();
  }

  /** Starts fault number {@code kind} on {@code region}; returns what ends it. */
  private Runnable inject(int kind, String region, Random random) {
    System.out.println("soak fault " + kind + " on " + region);
    switch (kind) {
      case 0 -> fleet.partition(region);
      case 1 -> fleet.agent(region).kill9();
      case 2 -> fleet.broker().kill9();
      case 3 -> fleet.peerLinks(region, Fault.bandwidth(8 * 1024 + random.nextInt(64 * 1024)));
      case 4 -> fleet.peerLinks(region, Fault.latency(Duration.ofMillis(50 + random.nextInt(500))));
      case 5 -> fleet.peerLinks(region, Fault.RESET);
      default -> fleet.peerLinks(region, Fault.DROP);
    }
    return () -> {
      fleet.healAll();
      if (!fleet.broker().isAlive()) fleet.broker().start();
      if (!fleet.agent(region).isAlive()) fleet.agent(region).start();
    };
  }
}
