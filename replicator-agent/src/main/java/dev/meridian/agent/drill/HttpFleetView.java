package dev.meridian.agent.drill;

import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.RegionStatus;
import dev.meridian.core.clock.RegionId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  public HttpFleetView(Map<RegionId, String> urls, Duration timeout) {
    this.urls = new LinkedHashMap<>(urls);
    this.admin = new AdminHttpClient(timeout);
    this.http = new DrillHttp(timeout);
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

  @Override
  public Optional<String> resolve(RegionId region, String repository, String tag) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(DrillHttp.base(url(region)) + "/v2/" + repository + "/manifests/" + tag))
        .timeout(timeout).header("Accept", MANIFEST_ACCEPT).header("Meridian-Internal", "no-read-through")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    try {
      HttpResponse<Void> response = http.client().send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 404) return Optional.empty();
      if (response.statusCode() != 200) throw new IllegalStateException("HEAD " + request.uri() + " answered " + response.statusCode());
      return response.headers().firstValue("Docker-Content-Digest");
    } catch (IOException e) {
      throw new IllegalStateException("HEAD " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String url(RegionId region) {
    String url = urls.get(region);
    if (url == null) throw new IllegalArgumentException("region " + region + " is not in the fleet");
    return url;
  }
}
