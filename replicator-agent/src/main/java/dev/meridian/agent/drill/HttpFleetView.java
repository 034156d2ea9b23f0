package dev.meridian.agent.drill;

import dev.meridian.agent.admin.ManifestFacts;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.ManifestStatus;

import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.RegionStatus;
import dev.meridian.core.clock.RegionId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link FleetView} over HTTP: statuses from {@code GET /admin/v1/region}, served digests from a manifest HEAD
 * marked {@code Meridian-Internal: no-read-through}, so a region answers from what it holds itself.
 */
public final class HttpFleetView implements FleetView {
  private static final String MANIFEST_ACCEPT = String.join(",", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");

  private final Map<RegionId, String> urls;
  private final AdminHttpClient admin;
  private final DrillHttp http;
  private final Duration timeout;

  /** {@code urls} in fleet order. */
  public HttpFleetView(Map<RegionId, String> urls, Duration timeout, Optional<String> authorization) {
    this.urls = new LinkedHashMap<>(urls);
    this.admin = new AdminHttpClient(timeout, authorization);
    this.http = new DrillHttp(timeout, authorization);
    this.timeout = timeout;
  }

  @Override
  public List<RegionId> regions() {
    return List.copyOf(urls.keySet());
  }

  @Override
  public RegionSnapshot status(RegionId region) {
    RegionStatus s = admin.region(url(region)).join();
    return new RegionSnapshot(s.state().wireName(), s.lagSeconds(), s.pendingTransfers(), s.outboxBacklog());
  }

  /**
   * What {@code region} serves for the tag from what it holds itself (never reading through from a peer): its own
   * answer of the admin API ({@code /admin/v1/region/manifest-status}), as an operator's credentials may ask it.
   */
  @Override
  public Optional<String> resolve(RegionId region, String repository, String tag) {
    ManifestFacts facts = AdminJson.parseFacts(admin.get(url(region), "/admin/v1/region/manifest-status",
        Map.of("repository", repository, "reference", tag)).join());
    return facts.status() == ManifestStatus.COMPLETE ? facts.servedDigest().map(Object::toString) : Optional.empty();
  }

  private String url(RegionId region) {
    String url = urls.get(region);
    if (url == null) throw new IllegalArgumentException("region " + region + " is not in the fleet");
    return url;
  }
}
