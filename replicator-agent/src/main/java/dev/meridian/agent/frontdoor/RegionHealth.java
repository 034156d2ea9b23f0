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
 */
public final class RegionHealth {
  private static final Logger log = LoggerFactory.getLogger(RegionHealth.class);
  private final Map<RegionId, Boolean> up = new ConcurrentHashMap<>();

  public boolean isUp(RegionId region) {
    return up.getOrDefault(region, true);
  }

  public void markUp(RegionId region) {
    Boolean before = up.put(region, true);
    if (Boolean.FALSE.equals(before)) log.info("frontdoor.region_up region={}", region);
  }

  public void markDown(RegionId region, String reason) {
    Boolean before = up.put(region, false);
    if (!Boolean.FALSE.equals(before)) log.warn("frontdoor.region_down region={} reason={}", region, reason);
  }
}
