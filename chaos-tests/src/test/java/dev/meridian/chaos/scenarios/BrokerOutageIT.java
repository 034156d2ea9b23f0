package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.chaos.Write;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker dies by kill -9: every region keeps taking pushes, and they all replicate once it is back. */
class BrokerOutageIT extends ChaosScenario {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void pushesDuringABrokerOutageSucceedAndConvergeAfterItsRestart() {
    workload.run(10);
    fleet.broker().kill9();

    int before = workload.history().size();
    workload.run(20);
    var duringOutage = workload.history().subList(before, workload.history().size());
    assertThat(duringOutage).as("writes while the broker is down").isNotEmpty()
        .allSatisfy(w -> assertThat(w.acked()).as(w.toString()).isPresent());

    fleet.broker().start();
    workload.run(10);
    assertConverges();
    assertThat(workload.acknowledged()).extracting(Write::region).containsAll(REGIONS);
  }
}
