package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.RegistryException;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Replica;
import dev.meridian.topology.ReplicatedTopology;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyChange;
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
