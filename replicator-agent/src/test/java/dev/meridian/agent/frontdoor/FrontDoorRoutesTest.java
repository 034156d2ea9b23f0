package dev.meridian.agent.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.http.proxy.ProxyPlan;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontDoorRoutesTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");
  private static final Topology FLEET = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
      Region.of("eastus", "http://127.0.0.1:5001"), Region.of("westeurope", "http://127.0.0.1:5002")));
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

  private final RegionHealth health = new RegionHealth();
  private final FrontDoorRoutes routes = new FrontDoorRoutes(FLEET, new RoutingPolicy(FLEET, List.of(WEST), List.of()), health);

  @Test
  void anOrdinaryRequestIsForwardedToThePreferredRegionWithTheOthersAsFallbacks() {
    ProxyPlan.Forward plan = (ProxyPlan.Forward) routes.plan("GET", "/v2/app/manifests/v1", CLIENT);
    assertThat(plan.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("westeurope", "eastus");
    assertThat(plan.upstreams().get(0).address().getPort()).isEqualTo(5002);
    assertThat(plan.upstreams().get(0).uri()).isEqualTo("/v2/app/manifests/v1");
    assertThat(plan.whenUnreachable().status()).isEqualTo(503);
  }

  @Test
  void thePreferredRegionIsSkippedWhileCreatingAndComesBackFirstOnceReady() {
    health.markCreating(WEST, true);
    ProxyPlan.Forward joining = (ProxyPlan.Forward) routes.plan("GET", "/v2/app/manifests/v1", CLIENT);
    assertThat(joining.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("eastus", "westeurope");

    health.markCreating(WEST, false);
    ProxyPlan.Forward ready = (ProxyPlan.Forward) routes.plan("GET", "/v2/app/manifests/v1", CLIENT);
    assertThat(ready.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("westeurope", "eastus");
  }

  @Test
  void anUploadSessionGoesToItsRegionEvenWhenRoutingPrefersAnother() {
    ProxyPlan.Forward plan = (ProxyPlan.Forward) routes.plan("PATCH", "/v2/app/blobs/uploads/eastus~abc", CLIENT);
    assertThat(plan.upstreams()).singleElement().satisfies(u -> {
      assertThat(u.name()).isEqualTo("eastus");
      assertThat(u.uri()).isEqualTo("/v2/app/blobs/uploads/abc");
    });
    assertThat(plan.whenUnreachable().code()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void anUploadSessionOfARegionThatIsDownIsUnknownSoTheClientStartsAgain() {
    health.markDown(EAST, "test");
    ProxyPlan plan = routes.plan("PUT", "/v2/app/blobs/uploads/eastus~abc?digest=sha256:00", CLIENT);
    assertThat(plan).isInstanceOfSatisfying(ProxyPlan.Refuse.class, r -> {
      assertThat(r.refusal().status()).isEqualTo(404);
      assertThat(r.refusal().code()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    });
  }

  @Test
  void anUnreachableRegionIsMarkedDownAndLeftOutOfLaterPlans() {
    routes.unreachable("westeurope");
    ProxyPlan.Forward plan = (ProxyPlan.Forward) routes.plan("GET", "/v2/", CLIENT);
    assertThat(plan.upstreams()).extracting(ProxyPlan.Upstream::name).containsExactly("eastus");
    health.markDown(EAST, "test");
    assertThat(routes.plan("GET", "/v2/", CLIENT)).isInstanceOf(ProxyPlan.Refuse.class);
  }

  @Test
  void uploadLocationsFromARegionNameThatRegion() {
    assertThat(routes.rewriteLocation("eastus", "/v2/app/blobs/uploads/", "/v2/app/blobs/uploads/abc"))
        .isEqualTo("/v2/app/blobs/uploads/eastus~abc");
  }
}
