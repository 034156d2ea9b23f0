package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicatedTopologyTest {
  private static final Region EAST = Region.of("eastus", "http://127.0.0.1:5001");
  private static final Region WEST = Region.of("westus", "http://127.0.0.1:5002");
  private static final Region NORTH = Region.of("northeu", "http://127.0.0.1:5003");
  private static final Topology FILE = new Topology("127.0.0.1:9092", 4, (short) 1, List.of(WEST, EAST));

  @Test
  void seedingWritesTheSettingsAndEveryRegionInFileOrder() {
    List<TopologyChange> changes = ReplicatedTopology.empty().seedChanges(FILE);
    assertThat(changes).containsExactly(
        new TopologyChange.SettingsPut(new FleetSettings(4, (short) 1)),
        new TopologyChange.RegionPut(new Replica(WEST, true, 0)),
        new TopologyChange.RegionPut(new Replica(EAST, true, 1)));
  }

  @Test
  void aFleetFilesFiltersAndCostsSurviveTheTopicAndAReaderThroughAProxy() {
    Region euOnly = WEST.withRepositories(RepositoryFilter.of(List.of("**"), List.of("eu-only/**")));
    Topology file = new Topology("127.0.0.1:9092", 4, (short) 1, List.of(euOnly, EAST, NORTH),
        List.of(new TransferCost(EAST.id(), WEST.id(), 7), new TransferCost(NORTH.id(), EAST.id(), 2)));
    ReplicatedTopology topic = ReplicatedTopology.empty();
    for (TopologyChange change : ReplicatedTopology.empty().seedChanges(file)) {
      TopologyCodec.Encoded wire = TopologyCodec.encode(change);
      topic = topic.apply(TopologyCodec.decode(wire.key(), wire.value().orElse(null)));
    }
    Topology seen = topic.topology("127.0.0.1:9092", Map.of(WEST.id(), URI.create("http://127.0.0.1:6002")), false);
    assertThat(seen.admits(WEST.id(), new dev.meridian.core.oci.RepositoryName("eu-only/app"))).isFalse();
    assertThat(seen.region(WEST.id()).orElseThrow().url()).isEqualTo(URI.create("http://127.0.0.1:6002"));
    assertThat(seen.cost(WEST.id(), EAST.id())).isEqualTo(7);
    assertThat(seen.cost(EAST.id(), NORTH.id())).isEqualTo(2);
    assertThat(seen.cost(WEST.id(), NORTH.id())).isEqualTo(Topology.DEFAULT_COST);
  }

  @Test
  void seedingSkipsRegionsTheTopicHasWhateverTheirState() {
    ReplicatedTopology topic = ReplicatedTopology.empty()
        .apply(new TopologyChange.SettingsPut(FleetSettings.defaults()))
        .apply(new TopologyChange.RegionPut(new Replica(new Region(EAST.id(), EAST.url(), false, RegionMode.READ_ONLY), false, 0)));
    assertThat(topic.seedChanges(FILE)).containsExactly(new TopologyChange.RegionPut(new Replica(WEST, true, 1)));
  }

  @Test
  void fleetOrderIsTheOrdinalWhateverOrderRecordsArriveIn() {
    ReplicatedTopology a = ReplicatedTopology.empty()
        .apply(new TopologyChange.RegionPut(new Replica(NORTH, true, 2)))
        .apply(new TopologyChange.RegionPut(new Replica(EAST, true, 0)))
        .apply(new TopologyChange.RegionPut(new Replica(WEST, true, 1)));
    ReplicatedTopology b = ReplicatedTopology.empty()
        .apply(new TopologyChange.RegionPut(new Replica(WEST, true, 1)))
        .apply(new TopologyChange.RegionPut(new Replica(EAST, true, 0)))
        .apply(new TopologyChange.RegionPut(new Replica(NORTH, true, 2)));
    assertThat(a).isEqualTo(b);
    assertThat(a.ordered()).extracting(Replica::id).extracting(RegionId::value).containsExactly("eastus", "westus", "northeu");
    assertThat(a.nextOrdinal()).isEqualTo(3);
  }

  @Test
  void aTombstoneDeletesTheRegionAndTheLatestRecordWins() {
    ReplicatedTopology t = ReplicatedTopology.of(FILE)
        .apply(new TopologyChange.RegionPut(new Replica(new Region(EAST.id(), EAST.url(), false, RegionMode.READ_WRITE), true, 1)))
        .apply(new TopologyChange.RegionDeleted(WEST.id()));
    assertThat(t.find(WEST.id())).isEmpty();
    assertThat(t.find(EAST.id()).orElseThrow().region().routingEnabled()).isFalse();
  }

  @Test
  void theTopologyLeavesOutDisabledRegionsOnlyWhenAskedAndUsesThisReadersAddresses() {
    ReplicatedTopology t = ReplicatedTopology.of(FILE)
        .apply(new TopologyChange.RegionPut(new Replica(WEST, false, 0)));
    URI proxy = URI.create("http://127.0.0.1:7002");
    Topology all = t.topology("k:1", Map.of(WEST.id(), proxy), false);
    assertThat(all.regions()).extracting(Region::id).containsExactly(WEST.id(), EAST.id());
    assertThat(all.requireRegion(WEST.id()).url()).isEqualTo(proxy);
    assertThat(all.topicPartitions()).isEqualTo(4);
    assertThat(t.topology("k:1", Map.of(), true).regions()).containsExactly(EAST);
  }
}
