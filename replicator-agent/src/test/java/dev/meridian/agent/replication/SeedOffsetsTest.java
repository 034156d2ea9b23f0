package dev.meridian.agent.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.state.LogPosition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedOffsetsTest {
  private static final LogPosition P0 = new LogPosition("meridian.events", 0);
  private static final LogPosition P1 = new LogPosition("meridian.events", 1);
  private static final LogPosition P2 = new LogPosition("meridian.events", 2);

  @Test
  void anEmptyRegionTakesThePeersOffsets() {
    assertThat(SeedOffsets.choose(Map.of(), Map.of(P0, 29L, P1, 0L))).isEqualTo(Map.of(P0, 29L, P1, 0L));
  }

  @Test
  void eachPartitionResumesAfterWhatEitherSideAlreadyHolds() {
    assertThat(SeedOffsets.choose(Map.of(P0, 40L, P1, 3L), Map.of(P0, 29L, P1, 17L)))
        .isEqualTo(Map.of(P0, 40L, P1, 17L));
  }

  @Test
  void aPartitionThePeerNeverReadKeepsTheLocalOffsetOrNone() {
    assertThat(SeedOffsets.choose(Map.of(P2, 5L), Map.of(P0, 1L))).isEqualTo(Map.of(P0, 1L, P2, 5L));
    assertThat(SeedOffsets.choose(Map.of(), Map.of(P0, 1L))).doesNotContainKey(P1);
  }
}
