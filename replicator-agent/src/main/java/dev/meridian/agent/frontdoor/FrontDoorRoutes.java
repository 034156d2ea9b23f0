package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.http.proxy.ProxyPlan;
import dev.meridian.agent.http.proxy.ProxyRoutes;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The front door's routing: an upload session goes to the region that holds it (or is answered
 * {@code BLOB_UPLOAD_UNKNOWN} when that region is down, so the client starts the upload again elsewhere);
 * everything else goes to the regions {@link RoutingPolicy} orders, the next one tried when a connection to
 * one cannot be opened.
 */
public final class FrontDoorRoutes implements ProxyRoutes {
  private final java.util.function.Supplier<Topology> fleet;
  private final RoutingPolicy policy;
  private final RegionHealth health;
  private final RoutingOverrides overrides;
  private final FrontDoorAdmin admin;
  private final Map<Region, InetSocketAddress> addresses = new java.util.concurrent.ConcurrentHashMap<>();

  /** Resolves every region's host now, once: the event loops that call {@link #plan} must never wait on DNS. */
  public FrontDoorRoutes(Topology fleet, RoutingPolicy policy, RegionHealth health) {
    this(() -> fleet, policy, health, new RoutingOverrides());
  }

  /** With regions an operator drained ({@link FrontDoorAdmin} changes them). */
  public FrontDoorRoutes(Topology fleet, RoutingPolicy policy, RegionHealth health, RoutingOverrides overrides) {
    this(() -> fleet, policy, health, overrides);
  }

  /**
   * Routing within the regions {@code fleet} has at each request (every region, disabled ones included: a
   * session in progress may finish where it started; {@code policy} says where new requests go), less the regions
   * an operator drained here. Call {@link #resolve} after each change of the fleet, so that hosts are resolved off
   * the event loops.
   */
  public FrontDoorRoutes(java.util.function.Supplier<Topology> fleet, RoutingPolicy policy, RegionHealth health,
      RoutingOverrides overrides) {
    this.fleet = requireNonNull(fleet, "fleet");
    this.policy = requireNonNull(policy, "policy");
    this.health = requireNonNull(health, "health");
    this.overrides = requireNonNull(overrides, "overrides");
    this.admin = new FrontDoorAdmin(fleet, overrides, health);
    resolve();
  }

  /** Resolves the host of every region of the fleet now. */
  public void resolve() {
    for (Region region : fleet.get().regions()) addresses.computeIfAbsent(region, FrontDoorRoutes::address);
  }

  private static InetSocketAddress address(Region region) {
    return new InetSocketAddress(region.url().getHost(), port(region));
  }

  @Override
  public ProxyPlan plan(String method, String uri, InetSocketAddress client) {
    Optional<InetAddress> address = Optional.ofNullable(client).map(InetSocketAddress::getAddress);
    Optional<ProxyPlan> own = admin.plan(method, uri, address);
    if (own.isPresent()) return own.get();
    Optional<UploadLocations.Pinned> pinned = UploadLocations.parse(uri);
    if (pinned.isPresent()) {
      RegionId region = pinned.get().region();
      ProxyPlan.Refusal unknown = new ProxyPlan.Refusal(404, "BLOB_UPLOAD_UNKNOWN",
          "the upload's region " + region + " is unavailable: start the upload again");
      Optional<Region> holder = fleet.get().region(region);
      // Routing disabled or drained does not matter here: a session in progress may finish where it started.
      if (holder.isEmpty() || !health.isUp(region)) return new ProxyPlan.Refuse(unknown);
      return new ProxyPlan.Forward(List.of(upstream(holder.get(), pinned.get().upstreamUri())), unknown);
    }
    Topology now = fleet.get();
    // Regions still joining the fleet come last: they lack content, and read most pulls through from the others.
    List<ProxyPlan.Upstream> upstreams = policy.order(address, id -> health.isUp(id) && !overrides.drained(id), health::isCreating)
        .stream()
        .flatMap(id -> now.region(id).stream())
        .map(region -> upstream(region, uri))
        .toList();
    ProxyPlan.Refusal none = new ProxyPlan.Refusal(503, "UNAVAILABLE", "no region is available");
    return upstreams.isEmpty() ? new ProxyPlan.Refuse(none) : new ProxyPlan.Forward(upstreams, none);
  }

  @Override
  public void unreachable(String upstream) {
    health.markDown(new RegionId(upstream), "connection refused or timed out");
  }

  @Override
  public String rewriteLocation(String upstream, String uri, String location) {
    return UploadLocations.rewrite(location, new RegionId(upstream));
  }

  private ProxyPlan.Upstream upstream(Region region, String uri) {
    return new ProxyPlan.Upstream(region.id().value(), addresses.computeIfAbsent(region, FrontDoorRoutes::address), uri);
  }

  private static int port(Region region) {
    int port = region.url().getPort();
    if (port > 0) return port;
    return "https".equalsIgnoreCase(region.url().getScheme()) ? 443 : 80;
  }
}
