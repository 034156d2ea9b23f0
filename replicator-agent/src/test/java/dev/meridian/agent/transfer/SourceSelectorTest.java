package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.RegionId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceSelectorTest {
  private static final RegionId ASIA = new RegionId("asia");
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeu");
  private static final RegionId NORTH = new RegionId("north");
  private static final RegionId SOUTH = new RegionId("south");

  private final SourceSelector selector = new SourceSelector(ASIA, List.of(ASIA, EAST, WEST, NORTH, SOUTH));

  @Test
  void aChangingFleetIsReadAtEachCallSoRegionsLeftOutAreNeverAsked() {
    var fleet = new java.util.concurrent.atomic.AtomicReference<List<RegionId>>(List.of(ASIA, EAST, WEST));
    SourceSelector live = new SourceSelector(ASIA, fleet::get);
    assertThat(live.order(EAST, Set.of(WEST), r -> false)).containsExactly(EAST, WEST);
    fleet.set(List.of(ASIA, WEST, NORTH)); // eastus disabled or deleted, north created
    assertThat(live.order(EAST, Set.of(WEST), r -> false)).containsExactly(WEST, NORTH);
  }

  @Test
  void originComesFirstThenReplicasThenTheRestOfTheFleet() {
    assertThat(selector.order(NORTH, Set.of(SOUTH, WEST), r -> false)).containsExactly(NORTH, WEST, SOUTH, EAST);
  }

  @Test
  void replicasAreAskedInFleetOrderWhateverTheSetsOrder() {
    assertThat(selector.order(EAST, Set.of(SOUTH, NORTH, WEST), r -> false)).containsExactly(EAST, WEST, NORTH, SOUTH);
  }

  @Test
  void selfIsNeverASourceEvenAsOriginOrReplica() {
    assertThat(selector.order(ASIA, Set.of(ASIA, WEST), r -> false)).containsExactly(WEST, EAST, NORTH, SOUTH);
  }

  @Test
  void aRegionAppearsOnceWhenItIsOriginAndReplica() {
    assertThat(selector.order(WEST, Set.of(WEST), r -> false)).containsExactly(WEST, EAST, NORTH, SOUTH);
  }

  @Test
  void regionsWithAnOpenBreakerAreSkippedAndTheOrderOfTheOthersKept() {
    assertThat(selector.order(EAST, Set.of(SOUTH), r -> r.equals(EAST) || r.equals(NORTH))).containsExactly(SOUTH, WEST);
  }

  @Test
  void regionsOutsideTheFleetAreNeverAskedForThereIsNoAddress() {
    RegionId gone = new RegionId("decommissioned");
    assertThat(selector.order(gone, Set.of(gone, SOUTH), r -> false)).containsExactly(SOUTH, EAST, WEST, NORTH);
  }

  @Test
  void aFleetOfOneHasNoSource() {
    assertThat(new SourceSelector(ASIA, List.of(ASIA)).order(ASIA, Set.of(), r -> false)).isEmpty();
  }

  @Test
  void everyBreakerOpenLeavesNoSource() {
    assertThat(selector.order(EAST, Set.of(WEST), r -> true)).isEmpty();
  }
}
