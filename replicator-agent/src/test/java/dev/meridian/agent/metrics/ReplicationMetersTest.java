package dev.meridian.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.transfer.TransferListener.ReadThroughCaller;
import dev.meridian.agent.transfer.TransferListener.ReadThroughOutcome;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What replay and read-through report reaches the scrape: lag by origin, waits by caller and outcome. */
class ReplicationMetersTest {
  @Test
  void everyCompletedManifestIsTimedUnderItsOwnOriginFromItsWriteThere() {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC);
    AgentMetrics metrics = AgentMetrics.create(new RegionId("westeurope"), clock);

    metrics.replayListener().manifestCompleted(new Stamp(new HlcTimestamp(9_000, 0), new RegionId("eastus")));
    metrics.replayListener().manifestCompleted(new Stamp(new HlcTimestamp(9_500, 3), new RegionId("eastus")));
    metrics.replayListener().manifestCompleted(new Stamp(new HlcTimestamp(7_000, 0), new RegionId("southeastasia")));
    // A writer's clock ahead of ours counts as no lag, not as a negative one.
    metrics.replayListener().manifestCompleted(new Stamp(new HlcTimestamp(12_000, 0), new RegionId("southeastasia")));

    String scrape = metrics.scrape();
    assertThat(scrape.lines().filter(l -> l.startsWith("meridian_replication_lag_seconds_count{")))
        .anySatisfy(l -> assertThat(l).contains("origin=\"eastus\"").endsWith(" 2"))
        .anySatisfy(l -> assertThat(l).contains("origin=\"southeastasia\"").endsWith(" 2"));
    assertThat(scrape.lines().filter(l -> l.startsWith("meridian_replication_lag_seconds_sum{")))
        .anySatisfy(l -> assertThat(l).contains("origin=\"eastus\"").endsWith(" 1.5"))
        .anySatisfy(l -> assertThat(l).contains("origin=\"southeastasia\"").endsWith(" 3.0"));
    metrics.close();
  }

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
