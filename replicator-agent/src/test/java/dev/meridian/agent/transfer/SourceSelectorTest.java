package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TransferCost;
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
    SourceSelector live = new SourceSelector(ASIA, fleet::get, region -> 1);
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

  /** asia's fleet: north and south are near (cost 1, 2), west is far (50), east farther (90, given one way only). */
  private static final Topology COSTED = new Topology("127.0.0.1:9092", 1, (short) 1,
      List.of(region(ASIA), region(EAST), region(WEST), region(NORTH), region(SOUTH)), List.of(
          new TransferCost(EAST, ASIA, 90),
          new TransferCost(ASIA, WEST, 50),
          new TransferCost(WEST, ASIA, 50),
          new TransferCost(NORTH, ASIA, 1),
          new TransferCost(SOUTH, ASIA, 2),
          new TransferCost(ASIA, SOUTH, 70)));
  private final SourceSelector costed = SourceSelector.of(ASIA, COSTED);

  private static Region region(RegionId id) {
    return Region.of(id.value(), "http://127.0.0.1:" + (5000 + Math.abs(id.value().hashCode() % 1000)));
  }

  @Test
  void theCheapestRegionIsAskedFirstEvenBeforeTheOrigin() {
    assertThat(costed.order(EAST, Set.of(WEST), r -> false)).containsExactly(NORTH, SOUTH, WEST, EAST);
  }

  @Test
  void costIsWhatCopyingFromTheSourceToThisRegionCostsNotTheReverse() {
    // south -> asia costs 2 although asia -> south costs 70; east -> asia, given one way, is 90.
    assertThat(COSTED.cost(SOUTH, ASIA)).isEqualTo(2);
    assertThat(costed.order(SOUTH, Set.of(), r -> r.equals(NORTH))).containsExactly(SOUTH, WEST, EAST);
  }

  @Test
  void amongEqualCostsTheOriginComesFirstThenReplicasInFleetOrder() {
    var flat = new Topology("127.0.0.1:9092", 1, (short) 1,
        List.of(region(ASIA), region(EAST), region(WEST), region(NORTH), region(SOUTH)), List.of(
            new TransferCost(EAST, ASIA, 5), new TransferCost(WEST, ASIA, 5),
            new TransferCost(NORTH, ASIA, 5), new TransferCost(SOUTH, ASIA, 5)));
    assertThat(SourceSelector.of(ASIA, flat).order(SOUTH, Set.of(NORTH, WEST), r -> false)).containsExactly(SOUTH, WEST, NORTH, EAST);
  }

  @Test
  void costsNeverBringBackSelfOrARegionWithAnOpenBreaker() {
    assertThat(costed.order(ASIA, Set.of(ASIA, NORTH), r -> r.equals(NORTH) || r.equals(WEST))).containsExactly(SOUTH, EAST);
  }

  @Test
  void withoutCostsTheOrderIsTheOneWithoutTopology() {
    var plain = new Topology("127.0.0.1:9092", 1, (short) 1,
        List.of(region(ASIA), region(EAST), region(WEST), region(NORTH), region(SOUTH)));
    assertThat(SourceSelector.of(ASIA, plain).order(NORTH, Set.of(SOUTH, WEST), r -> false))
        .isEqualTo(selector.order(NORTH, Set.of(SOUTH, WEST), r -> false))
        .containsExactly(NORTH, WEST, SOUTH, EAST);
  }
}
