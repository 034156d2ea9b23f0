package dev.meridian.agent.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.topology.Region;
import dev.meridian.topology.Replica;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegionMembershipTest {
  private static final Replica ENABLED = new Replica(Region.of("northeu", "http://127.0.0.1:5004"), true, 3);

  @Test
  void aRegionNotInTheFleetWaitsUntilCreatedAndIsDeletedOnceItWasSeen() {
    assertThat(RegionMembership.of(Optional.empty(), false, false)).isEqualTo(RegionMembership.WAITING);
    assertThat(RegionMembership.of(Optional.empty(), true, true)).isEqualTo(RegionMembership.DELETED);
  }

  @Test
  void anEnabledRegionReplicatesOnlyAfterItsBootstrap() {
    assertThat(RegionMembership.of(Optional.of(ENABLED), true, false)).isEqualTo(RegionMembership.CREATING);
    assertThat(RegionMembership.of(Optional.of(ENABLED), true, true)).isEqualTo(RegionMembership.ACTIVE);
  }

  @Test
  void transfersRunInAnActiveRegionAndInACreatingOneOnlyWhileItsSeedMerges() {
    assertThat(RegionMembership.ACTIVE.transfersRun(false)).isTrue();
    assertThat(RegionMembership.CREATING.transfersRun(true)).isTrue();
    assertThat(RegionMembership.CREATING.transfersRun(false)).isFalse();
    for (RegionMembership stopped : new RegionMembership[] {RegionMembership.WAITING, RegionMembership.DISABLED, RegionMembership.DELETED}) {
      assertThat(stopped.transfersRun(true)).as(stopped + " while a merge runs").isFalse();
      assertThat(stopped.transfersRun(false)).as(stopped.name()).isFalse();
    }
  }

  @Test
  void aDisabledRegionIsDisabledWhetherOrNotItBootstrapped() {
    assertThat(RegionMembership.of(Optional.of(ENABLED.withEnabled(false)), true, false)).isEqualTo(RegionMembership.DISABLED);
    assertThat(RegionMembership.of(Optional.of(ENABLED.withEnabled(false)), true, true)).isEqualTo(RegionMembership.DISABLED);
  }
}
