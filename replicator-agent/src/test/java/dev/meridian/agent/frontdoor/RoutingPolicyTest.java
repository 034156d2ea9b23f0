package dev.meridian.agent.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");
  private static final RegionId ASIA = new RegionId("southeastasia");

  private static Topology fleet(boolean westRouted) {
    return new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
        Region.of("eastus", "http://127.0.0.1:5001"),
        new Region(WEST, URI.create("http://127.0.0.1:5002"), westRouted, RegionMode.READ_WRITE),
        Region.of("southeastasia", "http://127.0.0.1:5003")));
  }

  private static Optional<InetAddress> client(String ip) throws Exception {
    return Optional.of(InetAddress.getByName(ip));
  }

  @Test
  void aChangingFleetAppliesAtTheNextRequestAndAPreferredRegionThatLeftIsSkipped() {
    var now = new java.util.concurrent.atomic.AtomicReference<>(fleet(true));
    RoutingPolicy policy = new RoutingPolicy(now::get, List.of(WEST), List.of());
    assertThat(policy.order(Optional.empty(), r -> true)).containsExactly(WEST, EAST, ASIA);
    now.set(fleet(false));
    assertThat(policy.order(Optional.empty(), r -> true)).containsExactly(EAST, ASIA);
    now.set(new Topology("127.0.0.1:9092", 1, (short) 1, List.of(Region.of("southeastasia", "http://127.0.0.1:5003"))));
    assertThat(policy.order(Optional.empty(), r -> true)).containsExactly(ASIA);
  }

  @Test
  void withoutAPreferenceRegionsComeInFleetOrder() {
    assertThat(new RoutingPolicy(fleet(true), List.of(), List.of()).order(Optional.empty(), r -> true))
        .containsExactly(EAST, WEST, ASIA);
  }

  @Test
  void theConfiguredPreferenceComesFirstAndTheRestOfTheFleetFollows() {
    assertThat(new RoutingPolicy(fleet(true), List.of(ASIA, WEST), List.of()).order(Optional.empty(), r -> true))
        .containsExactly(ASIA, WEST, EAST);
  }

  @Test
  void aRegionStillCreatingComesAfterEveryReadyRegionAndServesOnlyWhenNoneIsUp() {
    RoutingPolicy policy = new RoutingPolicy(fleet(true), List.of(WEST, EAST), List.of());
    assertThat(policy.order(Optional.empty(), r -> true, WEST::equals)).containsExactly(EAST, ASIA, WEST);
    assertThat(policy.order(Optional.empty(), r -> r.equals(WEST), WEST::equals)).as("the last resort").containsExactly(WEST);
    assertThat(policy.order(Optional.empty(), r -> true, r -> true)).as("all joining: the preference holds").containsExactly(WEST, EAST, ASIA);
    assertThat(new RoutingPolicy(fleet(false), List.of(WEST), List.of()).order(Optional.empty(), r -> true, EAST::equals))
        .as("routing disabled still wins").containsExactly(ASIA, EAST);
  }

  @Test
  void regionsThatAreDownAreSkipped() {
    RoutingPolicy policy = new RoutingPolicy(fleet(true), List.of(WEST, EAST), List.of());
    assertThat(policy.order(Optional.empty(), r -> !r.equals(WEST))).containsExactly(EAST, ASIA);
    assertThat(policy.order(Optional.empty(), r -> false)).isEmpty();
  }

  @Test
  void regionsWithRoutingDisabledAreSkippedEvenWhenPreferred() {
    assertThat(new RoutingPolicy(fleet(false), List.of(WEST), List.of()).order(Optional.empty(), r -> true))
        .containsExactly(EAST, ASIA);
  }

  @Test
  void aClientInARangeGetsThatRangesOrderAndTheMostSpecificRangeWins() throws Exception {
    RoutingPolicy policy = new RoutingPolicy(fleet(true), List.of(EAST), List.of(
        ClientRange.parse("10.0.0.0/8=westeurope"),
        ClientRange.parse("10.9.0.0/16=southeastasia,westeurope")));
    assertThat(policy.order(client("10.1.2.3"), r -> true)).containsExactly(WEST, EAST, ASIA);
    assertThat(policy.order(client("10.9.2.3"), r -> true)).containsExactly(ASIA, WEST, EAST);
    assertThat(policy.order(client("192.168.1.1"), r -> true)).containsExactly(EAST, WEST, ASIA);
    assertThat(policy.order(client("::1"), r -> true)).containsExactly(EAST, WEST, ASIA);
  }

  @Test
  void aPreferenceNamingARegionOutsideTheFleetIsRefused() {
    assertThatThrownBy(() -> new RoutingPolicy(fleet(true), List.of(new RegionId("mars")), List.of()))
        .hasMessageContaining("mars");
  }

  @Test
  void cidrBlocksMatchOnTheirPrefixBitsOnly() throws Exception {
    CidrBlock block = CidrBlock.parse("192.168.4.0/22");
    for (String inside : Set.of("192.168.4.0", "192.168.7.255", "192.168.5.17")) {
      assertThat(block.contains(InetAddress.getByName(inside))).as(inside).isTrue();
    }
    for (String outside : Set.of("192.168.8.0", "192.168.3.255", "10.0.0.1", "::1")) {
      assertThat(block.contains(InetAddress.getByName(outside))).as(outside).isFalse();
    }
    assertThat(CidrBlock.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
    assertThat(CidrBlock.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
    assertThatThrownBy(() -> CidrBlock.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
  }
}
