package dev.meridian.agent.drill;

import dev.meridian.agent.admin.IsolationJson;
import dev.meridian.agent.admin.UnshippedWrite;
import dev.meridian.core.clock.RegionId;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@link RegionCut} through each region's admin API ({@code /admin/v1/region/isolation}). */
public final class AdminApiRegionCut implements RegionCut {
  private final Map<RegionId, String> urls;
  private final DrillHttp http;

  public AdminApiRegionCut(Map<RegionId, String> urls, Duration timeout, java.util.Optional<String> authorization) {
    this.urls = Map.copyOf(urls);
    this.http = new DrillHttp(timeout, authorization);
  }

  @Override
  public void isolate(RegionId region) {
    if (!IsolationJson.parseIsolated(http.post(endpoint(region) + "?isolated=true"))) {
      throw new IllegalStateException("region " + region + " did not confirm its isolation");
    }
  }

  @Override
  public List<UnshippedWrite> unshipped(RegionId region) {
    return IsolationJson.parseUnshipped(http.get(endpoint(region)));
  }

  @Override
  public void reconnect(RegionId region) {
    if (IsolationJson.parseIsolated(http.post(endpoint(region) + "?isolated=false"))) {
      throw new IllegalStateException("region " + region + " is still isolated");
    }
  }

  private String endpoint(RegionId region) {
    String url = urls.get(region);
    if (url == null) throw new IllegalArgumentException("region " + region + " is not in the fleet");
    return DrillHttp.base(url) + "/admin/v1/region/isolation";
  }
}
