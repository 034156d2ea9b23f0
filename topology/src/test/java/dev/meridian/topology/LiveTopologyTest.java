package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveTopologyTest {
  private static final Region EAST = Region.of("eastus", "http://127.0.0.1:5001");
  private static final Region WEST = Region.of("westus", "http://127.0.0.1:5002");
  private static final Region NORTH = Region.of("northeu", "http://127.0.0.1:5003");

  @Test
  void theSeedShowsUntilTheTopicIsReadAndItsMissingRegionsUntilWritten() {
    LiveTopology live = LiveTopology.seeded(new Topology("k:1", 8, (short) 1, List.of(EAST, WEST)));
    assertThat(live.current().regions()).containsExactly(EAST, WEST);
    assertThat(live.loaded()).isFalse();

    // The topic has only north so far: the seed's regions stay visible (they are being written).
    live.replace(ReplicatedTopology.empty().apply(new TopologyChange.RegionPut(new Replica(NORTH, true, 0))));
    assertThat(live.loaded()).isTrue();
    assertThat(live.current().regions()).containsExactly(NORTH, EAST, WEST);

    live.seedWritten();
    assertThat(live.current().regions()).containsExactly(NORTH);
  }

  @Test
  void listenersHearOfChangesOnly() {
    LiveTopology live = LiveTopology.seeded(new Topology("k:1", 8, (short) 1, List.of()));
    AtomicInteger heard = new AtomicInteger();
    live.onChange(heard::incrementAndGet);
    ReplicatedTopology one = ReplicatedTopology.empty().apply(new TopologyChange.RegionPut(new Replica(EAST, true, 0)));
    live.replace(one);
    live.replace(one);
    assertThat(heard).hasValue(1);
    live.replace(one.apply(new TopologyChange.RegionPut(new Replica(EAST, false, 0))));
    assertThat(heard).hasValue(2);
    assertThat(live.active().regions()).isEmpty();
    assertThat(live.current().regions()).containsExactly(EAST);
    assertThat(live.replica(EAST.id()).orElseThrow().enabled()).isFalse();
  }

  @Test
  void theFleetFilesUrlWinsForTheRegionsItNames() {
    Region westViaProxy = Region.of("westus", "http://127.0.0.1:7002");
    LiveTopology live = LiveTopology.seeded(new Topology("k:1", 8, (short) 1, List.of(EAST, westViaProxy)));
    live.replace(ReplicatedTopology.of(new Topology("k:1", 8, (short) 1, List.of(EAST, WEST))));
    assertThat(live.current().requireRegion(WEST.id()).url()).isEqualTo(westViaProxy.url());
    assertThat(live.replica(WEST.id()).orElseThrow().region().url()).isEqualTo(WEST.url());
  }

  @Test
  void theViewsAreBuiltOncePerChangeNotAtEveryCall() {
    LiveTopology live = LiveTopology.seeded(new Topology("k:1", 8, (short) 1, List.of(EAST)));
    Topology before = live.current();
    assertThat(live.current()).isSameAs(before);
    assertThat(live.active()).isSameAs(live.active());
    live.replace(ReplicatedTopology.of(new Topology("k:1", 8, (short) 1, List.of(EAST))));
    assertThat(live.current()).isSameAs(before);
    live.replace(ReplicatedTopology.of(new Topology("k:1", 8, (short) 1, List.of(EAST, WEST))));
    assertThat(live.current()).isNotSameAs(before);
    assertThat(live.current().regions()).containsExactly(EAST, WEST);
    assertThat(live.current()).isSameAs(live.current());
  }
}
