package dev.meridian.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.transfer.TransferListener.ReadThroughCaller;
import dev.meridian.agent.transfer.TransferListener.ReadThroughOutcome;
import dev.meridian.core.clock.RegionId;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What read-through reports reaches the scrape, by caller and outcome. */
class ReplicationMetersTest {
  @Test
  void readThroughWaitsAreCountedByCallerAndOutcome() {
    AgentMetrics metrics = AgentMetrics.create(new RegionId("westeurope"), Clock.systemUTC());

    metrics.transferListener().readThrough(ReadThroughCaller.PULL, ReadThroughOutcome.REFUSED, Duration.ZERO);
    metrics.transferListener().readThrough(ReadThroughCaller.PULL, ReadThroughOutcome.REFUSED, Duration.ZERO);
    metrics.transferListener().readThrough(ReadThroughCaller.PUT, ReadThroughOutcome.SERVED, Duration.ofMillis(40));

    String scrape = metrics.scrape();
    assertThat(scrape.lines().filter(l -> l.startsWith("meridian_read_through_seconds_count{")))
        .anySatisfy(l -> assertThat(l).contains("caller=\"pull\"").contains("outcome=\"refused\"").endsWith(" 2"))
        .anySatisfy(l -> assertThat(l).contains("caller=\"put\"").contains("outcome=\"served\"").endsWith(" 1"));
    metrics.close();
  }
}
