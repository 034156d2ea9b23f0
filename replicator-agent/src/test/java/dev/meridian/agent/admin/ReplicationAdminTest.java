package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Replica;
import dev.meridian.topology.RepositoryFilter;
import dev.meridian.topology.ReplicatedTopology;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyChange;
import dev.meridian.topology.TransferCost;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationAdminTest {
  private static final Region EAST = Region.of("eastus", "http://127.0.0.1:5001");
  private static final Region WEST = Region.of("westus", "http://127.0.0.1:5002");
  private static final RegionId NORTH = new RegionId("northeu");

  private final LiveTopology live = LiveTopology.seeded(new Topology("k:1", 8, (short) 1, List.of()));
  private final List<TopologyChange> written = new ArrayList<>();
  private final ReplicationAdmin admin = new ReplicationAdmin(live, change -> {
    // What the topic reader would do: apply the change to what it read.
    written.add(change);
    live.replace(live.fromLog().apply(change));
  });

  ReplicationAdminTest() {
    live.replace(ReplicatedTopology.of(new Topology("k:1", 8, (short) 1, List.of(EAST, WEST))));
  }

  @Test
  void createAddsTheRegionEnabledAfterEveryOther() {
    Replica created = admin.create(NORTH, URI.create("http://127.0.0.1:5004"), false, RegionMode.READ_ONLY);
    assertThat(created).isEqualTo(new Replica(
        new Region(NORTH, URI.create("http://127.0.0.1:5004"), false, RegionMode.READ_ONLY), true, 2));
    assertThat(admin.list()).extracting(Replica::id).containsExactly(EAST.id(), WEST.id(), NORTH);
  }

  @Test
  void creatingARegionTwiceOrAtAnotherRegionsUrlIsAConflictThatWritesNothing() {
    assertThatThrownBy(() -> admin.create(WEST.id(), URI.create("http://127.0.0.1:5009"), true, RegionMode.READ_WRITE))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
        .hasMessageContaining("region westus already exists");
    assertThatThrownBy(() -> admin.create(NORTH, EAST.url(), true, RegionMode.READ_WRITE))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    assertThat(written).isEmpty();
  }

  @Test
  void updateChangesOnlyWhatItNamesAndKeepsTheRegionsPlace() {
    Replica updated = admin.update(EAST.id(), new ReplicationAdmin.Update(Optional.of(false), Optional.empty(), Optional.of(false)));
    assertThat(updated).isEqualTo(new Replica(new Region(EAST.id(), EAST.url(), false, RegionMode.READ_WRITE), false, 0));
    assertThat(live.active().regions()).containsExactly(WEST);

    int before = written.size();
    admin.update(EAST.id(), new ReplicationAdmin.Update(Optional.of(false), Optional.empty(), Optional.empty()));
    assertThat(written).as("no change, no record").hasSize(before);
  }

  @Test
  void anUpdateOfRoutingKeepsTheRepositoryFilterAndAFilterGivenReplacesIt() {
    RepositoryFilter residency = RepositoryFilter.of(List.of("**"), List.of("eu-only/**"));
    admin.update(EAST.id(), new ReplicationAdmin.Update(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(residency)));
    assertThat(live.current().admits(EAST.id(), new RepositoryName("eu-only/app"))).isFalse();

    Replica drained = admin.update(EAST.id(), new ReplicationAdmin.Update(Optional.of(false), Optional.empty(), Optional.empty()));
    assertThat(drained.region().repositories()).isEqualTo(residency);
    assertThat(drained.region().routingEnabled()).isFalse();

    RepositoryFilter teamOnly = RepositoryFilter.of(List.of("team-a/**"), List.of());
    Replica narrowed = admin.update(EAST.id(), new ReplicationAdmin.Update(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(teamOnly)));
    assertThat(narrowed.region().repositories()).isEqualTo(teamOnly);
    assertThat(narrowed.region().routingEnabled()).as("kept").isFalse();
    assertThat(live.current().admits(EAST.id(), new RepositoryName("team-a/app"))).isTrue();
    assertThat(live.current().admits(EAST.id(), new RepositoryName("team-b/app"))).isFalse();
  }

  @Test
  void aRegionCreatedWithAFilterHoldsOnlyWhatItAdmits() {
    admin.create(NORTH, URI.create("http://127.0.0.1:5004"), true, RegionMode.READ_WRITE,
        RepositoryFilter.of(List.of("**"), List.of("us-only/**")));
    assertThat(live.current().admits(NORTH, new RepositoryName("us-only/app"))).isFalse();
    assertThat(live.current().admits(NORTH, new RepositoryName("team/app"))).isTrue();
  }

  @Test
  void costsAreSetReplacedAndRemovedPerDirectionInTheFleetSettings() {
    admin.setCost(EAST.id(), WEST.id(), 10);
    assertThat(live.current().cost(WEST.id(), EAST.id())).as("given once: both ways").isEqualTo(10);
    admin.setCost(WEST.id(), EAST.id(), 3);
    assertThat(admin.setCost(EAST.id(), WEST.id(), 12)).containsExactlyInAnyOrder(new TransferCost(WEST.id(), EAST.id(), 3),
        new TransferCost(EAST.id(), WEST.id(), 12));
    assertThat(written.get(written.size() - 1)).isInstanceOfSatisfying(TopologyChange.SettingsPut.class,
        put -> assertThat(put.settings().topicPartitions()).as("settings kept").isEqualTo(8));
    assertThat(live.current().cost(EAST.id(), WEST.id())).isEqualTo(12);
    assertThat(live.current().cost(WEST.id(), EAST.id())).isEqualTo(3);

    assertThat(admin.removeCost(EAST.id(), WEST.id())).containsExactly(new TransferCost(WEST.id(), EAST.id(), 3));
    assertThat(live.current().cost(EAST.id(), WEST.id())).as("the other direction, given once").isEqualTo(3);
    assertThatThrownBy(() -> admin.removeCost(EAST.id(), WEST.id()))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
  }

  @Test
  void aCostToAnUnknownRegionToItselfOrOutOfRangeWritesNothing() {
    assertThatThrownBy(() -> admin.setCost(EAST.id(), NORTH, 1))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    assertThatThrownBy(() -> admin.setCost(EAST.id(), EAST.id(), 1))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    assertThatThrownBy(() -> admin.setCost(EAST.id(), WEST.id(), -1)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> admin.setCost(EAST.id(), WEST.id(), 1_000_001)).hasMessageContaining("out of range");
    assertThat(written).isEmpty();
  }

  @Test
  void unknownRegionsAreNotFound() {
    ReplicationAdmin.Update any = new ReplicationAdmin.Update(Optional.of(true), Optional.empty(), Optional.empty());
    for (Runnable call : List.<Runnable>of(() -> admin.show(NORTH), () -> admin.update(NORTH, any), () -> admin.delete(NORTH))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404))
          .hasMessageContaining("region northeu is not in the fleet");
    }
    assertThat(written).isEmpty();
  }

  @Test
  void deleteWritesATombstoneAndTheRegionIsGone() {
    admin.delete(WEST.id());
    assertThat(written).containsExactly(new TopologyChange.RegionDeleted(WEST.id()));
    assertThat(live.current().regions()).containsExactly(EAST);
  }

  @Test
  void aChangeTheTopicDoesNotTakeIsUnavailable() {
    ReplicationAdmin failing = new ReplicationAdmin(live, change -> {
      throw new IllegalStateException("broker down");
    });
    assertThatThrownBy(() -> failing.delete(WEST.id()))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(503))
        .hasMessageContaining("broker down");
  }
}
