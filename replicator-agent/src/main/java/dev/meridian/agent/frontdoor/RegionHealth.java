package dev.meridian.agent.frontdoor;

import dev.meridian.core.clock.RegionId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each region is up, as the front door last saw it: active probes of {@code /readyz} mark regions up
 * or down, and a connection that cannot be opened marks its region down at once (passive). A region not
 * probed yet counts as up, so the front door serves from its first request.
 *
 * <p>Apart from up or down, a region may be <em>creating</em>: it answers, but is still joining the fleet (seeding
 * from a peer, fetching what the seed called for), so it lacks content and would read most pulls through. Routing
 * sends it clients only when no other region can take them.
 */
public final class RegionHealth {
  private static final Logger log = LoggerFactory.getLogger(RegionHealth.class);
  private final Map<RegionId, Boolean> up = new ConcurrentHashMap<>();
  private final Map<RegionId, Boolean> creating = new ConcurrentHashMap<>();

  public boolean isUp(RegionId region) {
    return up.getOrDefault(region, true);
  }

  public void markUp(RegionId region) {
    Boolean before = up.put(region, true);
    if (Boolean.FALSE.equals(before)) log.info("frontdoor.region_up region={}", region);
  }

  /** Whether the region said it is still {@code creating} (joining the fleet) at its last probe. */
  public boolean isCreating(RegionId region) {
    return creating.getOrDefault(region, false);
  }

  public void markCreating(RegionId region, boolean joining) {
    Boolean before = creating.put(region, joining);
    if (joining != Boolean.TRUE.equals(before)) {
      log.info("frontdoor.region_{} region={}", joining ? "creating" : "created", region);
    }
  }

  public void markDown(RegionId region, String reason) {
    Boolean before = up.put(region, false);
    if (!Boolean.FALSE.equals(before)) log.warn("frontdoor.region_down region={} reason={}", region, reason);
  }
}
