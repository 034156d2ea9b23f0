package dev.meridian.agent.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.http.proxy.ProxyPlan;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontDoorAdminTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final Topology FLEET = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
      Region.of("eastus", "http://127.0.0.1:5001"), Region.of("westeurope", "http://127.0.0.1:5002")));
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("10.1.2.3", 40000);

  private final RoutingOverrides overrides = new RoutingOverrides();
  private final FrontDoorRoutes routes = new FrontDoorRoutes(FLEET, new RoutingPolicy(FLEET, List.of(), List.of()),
      new RegionHealth(), overrides);

  @Test
  void aDrainedRegionGetsNoNewRequestsButKeepsItsUploadSessionsUntilRestored() {
    JsonNode drained = answer(routes.plan("POST", "/admin/v1/frontdoor/regions/eastus?routingEnabled=false", LOCAL));
    assertThat(drained.path("drained").asBoolean()).isTrue();
    assertThat(drained.path("routingEnabled").asBoolean()).isFalse();
    assertThat(overrides.drained(EAST)).isTrue();

    ProxyPlan.Forward plan = (ProxyPlan.Forward) routes.plan("GET", "/v2/app/manifests/v1", LOCAL);
    assertThat(plan.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("westeurope");
    ProxyPlan.Forward upload = (ProxyPlan.Forward) routes.plan("PATCH", "/v2/app/blobs/uploads/eastus~abc", LOCAL);
    assertThat(upload.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("eastus");

    answer(routes.plan("POST", "/admin/v1/frontdoor/regions/eastus?routingEnabled=true", LOCAL));
    ProxyPlan.Forward restored = (ProxyPlan.Forward) routes.plan("GET", "/v2/app/manifests/v1", LOCAL);
    assertThat(restored.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("eastus", "westeurope");
  }

  @Test
  void theRegionListShowsRoutingDrainAndHealthOfEveryRegion() {
    overrides.drain(EAST);
    JsonNode regions = answer(routes.plan("GET", "/admin/v1/frontdoor/regions", LOCAL)).path("regions");
    assertThat(regions).hasSize(2);
    assertThat(regions.get(0).path("id").asText()).isEqualTo("eastus");
    assertThat(regions.get(0).path("drained").asBoolean()).isTrue();
    assertThat(regions.get(1).path("routingEnabled").asBoolean()).isTrue();
    assertThat(regions.get(1).path("up").asBoolean()).isTrue();
  }

  @Test
  void badAdminRequestsAreRefusedClearlyAndChangeNothing() {
    assertThat(refusal(routes.plan("POST", "/admin/v1/frontdoor/regions/nowhere?routingEnabled=false", LOCAL)).status()).isEqualTo(404);
    assertThat(refusal(routes.plan("POST", "/admin/v1/frontdoor/regions/eastus?routingEnabled=maybe", LOCAL)).status()).isEqualTo(400);
    assertThat(refusal(routes.plan("DELETE", "/admin/v1/frontdoor/regions/eastus", LOCAL)).status()).isEqualTo(405);
    assertThat(refusal(routes.plan("POST", "/admin/v1/frontdoor/regions/eastus?routingEnabled=false", REMOTE)).status()).isEqualTo(403);
    assertThat(overrides.drained(EAST)).isFalse();
  }

  @Test
  void otherAdminPathsStillGoToARegion() {
    assertThat(routes.plan("GET", "/admin/v1/regions", LOCAL)).isInstanceOf(ProxyPlan.Forward.class);
  }

  private static JsonNode answer(ProxyPlan plan) {
    assertThat(plan).isInstanceOf(ProxyPlan.Answer.class);
    return AdminJson.parse(((ProxyPlan.Answer) plan).body());
  }

  private static ProxyPlan.Refusal refusal(ProxyPlan plan) {
    assertThat(plan).isInstanceOf(ProxyPlan.Refuse.class);
    return ((ProxyPlan.Refuse) plan).refusal();
  }
}
