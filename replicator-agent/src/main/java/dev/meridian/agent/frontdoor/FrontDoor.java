package dev.meridian.agent.frontdoor;

import dev.meridian.agent.http.proxy.ProxyServer;
import dev.meridian.topology.LiveTopology;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's global endpoint: one registry URL that proxies each request to the client's preferred healthy
 * region, keeping every upload session on the region that started it. It holds no registry state: any number
 * of front doors may serve one fleet.
 */
public final class FrontDoor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrontDoor.class);

  private final RegionHealth health;
  private final HealthProber prober;
  private final ProxyServer server;
  private final RoutingOverrides overrides = new RoutingOverrides();

  private FrontDoor(FrontDoorConfig config, LiveTopology fleet) {
    this.health = new RegionHealth();
    // New requests go to regions replication is enabled for; sessions may finish on any region still there.
    RoutingPolicy policy = new RoutingPolicy(fleet::active, config.preference(), config.ranges());
    FrontDoorRoutes routes = new FrontDoorRoutes(fleet::current, policy, health, overrides);
    fleet.onChange(routes::resolve);
    this.server = ProxyServer.start(routes, new InetSocketAddress(config.bindAddress(), config.port()));
    this.prober = new HealthProber(fleet::active, health, config.probeInterval()).start();
  }

  /** A front door for the fixed fleet of {@code config}. */
  public static FrontDoor start(FrontDoorConfig config) {
    return start(config, LiveTopology.fixed(config.fleet()));
  }

  /**
   * A front door that follows {@code fleet} (the replicated topology): routing, mode and regions created,
   * disabled or deleted apply at once. {@code config}'s fleet is only checked for the preferences.
   */
  public static FrontDoor start(FrontDoorConfig config, LiveTopology fleet) {
    FrontDoor door = new FrontDoor(config, fleet);
    log.info("frontdoor.start address={} regions={} preference={}", door.address(), config.fleet().regions().size(), config.preference());
    return door;
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** The URL clients use, e.g. {@code http://127.0.0.1:5000}. */
  public String url() {
    return "http://" + address().getHostString() + ":" + address().getPort();
  }

  /** What the front door believes about each region now. */
  public RegionHealth health() {
    return health;
  }

  /** Regions drained at this front door ({@code POST /admin/v1/frontdoor/regions/ID?routingEnabled=false}). */
  public RoutingOverrides overrides() {
    return overrides;
  }

  @Override
  public void close() {
    prober.close();
    server.close();
  }
}
