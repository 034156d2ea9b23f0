package dev.meridian.agent.drill;

import dev.meridian.core.clock.RegionId;
import java.time.Duration;

/**
 * {@link RoutingControl} through one front door's admin API ({@code POST /admin/v1/frontdoor/regions/ID}): in
 * effect at that front door at once, and only there: other front doors and the regions' own status do not see it,
 * and a restart of the front door forgets it. The fallback for a fleet without a replicated topology.
 */
public final class FrontDoorRoutingControl implements RoutingControl {
  private final String frontDoor;
  private final DrillHttp http;

  public FrontDoorRoutingControl(String frontDoorUrl, Duration timeout) {
    this.frontDoor = DrillHttp.base(frontDoorUrl);
    this.http = new DrillHttp(timeout, java.util.Optional.empty());
  }

  @Override
  public boolean isEnabled(RegionId region) {
    return http.get(frontDoor + "/admin/v1/frontdoor/regions/" + region).path("routingEnabled").asBoolean(false);
  }

  @Override
  public void disable(RegionId region) {
    set(region, false);
  }

  @Override
  public void enable(RegionId region) {
    set(region, true);
  }

  private void set(RegionId region, boolean enabled) {
    var answer = http.post(frontDoor + "/admin/v1/frontdoor/regions/" + region + "?routingEnabled=" + enabled);
    if (answer.path("drained").asBoolean(enabled) == enabled) {
      throw new IllegalStateException("the front door at " + frontDoor + " did not " + (enabled ? "restore " : "drain ") + region);
    }
  }
}
