package dev.meridian.agent.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.security.FleetKey;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.embedded.EmbeddedKafkaBroker;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A fleet in this JVM built piece by piece from an {@link EmbeddedKafkaBroker} and {@link RegionAgent}s, unlike
 * {@code LocalFleet}, so that a test can stop and restart the broker or one region on the same data directory
 * and ports, and route one region's traffic to a peer through a {@link LinkProxy}.
 *
 * <p>Each region gets its own view of the fleet: the same broker and regions, but a peer reached through a
 * proxied link has the proxy's URL in that region's view. Layout: {@code DIR/kafka/}, {@code DIR/regions/ID/}.
 */
public final class ManualFleet implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

  /** A one-way link: {@code from} reaches {@code to} through a proxy. */
  public record Link(String from, String to) {}

  private final Path dir;
  private final EmbeddedKafkaBroker.Settings brokerSettings;
  private final Map<String, AgentConfig> configs = new LinkedHashMap<>();
  private final Map<String, RegionAgent> agents = new LinkedHashMap<>();
  private final Map<Link, LinkProxy> links = new LinkedHashMap<>();
  private EmbeddedKafkaBroker broker;
  /** Every region of the fleet signs and checks its events with this key. */
  private final FleetKey key = TestCredentials.FLEET_KEY; // the one test clients sign as peers with

  private ManualFleet(Path dir, EmbeddedKafkaBroker.Settings brokerSettings) {
    this.dir = dir;
    this.brokerSettings = brokerSettings;
  }

  /**
   * Starts the broker and one agent per region (on free ports), with a proxy for each of {@code proxied}, and
   * returns once every region replicates.
   */
  public static ManualFleet start(Path dir, List<String> regions, List<Link> proxied, TransferConfig transfers) {
    return start(dir, regions, proxied, transfers, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, List, List, TransferConfig)}, with every region's view of the fleet passed through
   * {@code shape} first: repository filters, costs, a number of partitions.
   */
  public static ManualFleet start(Path dir, List<String> regions, List<Link> proxied, TransferConfig transfers,
      UnaryOperator<Topology> shape) {
    return start(dir, regions, proxied, transfers, shape, UnaryOperator.identity());
  }

  /** As above, with each region's configuration passed through {@code configure} last (e.g. its webhook). */
  public static ManualFleet start(Path dir, List<String> regions, List<Link> proxied, TransferConfig transfers,
      UnaryOperator<Topology> shape, UnaryOperator<AgentConfig> configure) {
    int kafkaPort = FreePort.consecutive(2);
    var fleet = new ManualFleet(dir, new EmbeddedKafkaBroker.Settings(dir.resolve("kafka"), kafkaPort, kafkaPort + 1, true));
    try {
      fleet.startBroker();
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (String region : regions) ports.put(region, FreePort.pick());
      for (Link link : proxied) fleet.links.put(link, LinkProxy.start(link.from() + "-to-" + link.to(), ports.get(link.to())));
      for (String region : regions) {
        Topology view = shape.apply(fleet.viewOf(region, ports));
        fleet.configs.put(region, configure.apply(new AgentConfig(new RegionId(region), AgentConfig.DEFAULT_BIND, ports.get(region),
            dir.resolve("regions").resolve(region), Optional.of(view), transfers)
            .withSecurity(SecurityConfig.defaults().withFleetKey(fleet.key))));
      }
      for (String region : regions) fleet.startRegion(region);
      return fleet;
    } catch (RuntimeException | Error e) {
      fleet.close();
      throw e;
    }
  }

  private Topology viewOf(String self, Map<String, Integer> ports) {
    List<Region> regions = new ArrayList<>();
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      LinkProxy proxy = links.get(new Link(self, e.getKey()));
      URI url = proxy != null ? proxy.url() : URI.create("http://127.0.0.1:" + e.getValue());
      regions.add(new Region(new RegionId(e.getKey()), url, true, RegionMode.READ_WRITE));
    }
    return new Topology("127.0.0.1:" + brokerSettings.port(), Topology.DEFAULT_PARTITIONS, Topology.DEFAULT_REPLICATION_FACTOR, regions);
  }

  /** The key the fleet's regions sign their events with. */
  public FleetKey key() {
    return key;
  }

  public String kafkaBootstrap() {
    return "127.0.0.1:" + brokerSettings.port();
  }

  public Path dir() {
    return dir;
  }

  public List<String> regions() {
    return List.copyOf(configs.keySet());
  }

  /** The running agent of {@code region}; fails if it is stopped. */
  public RegionAgent agent(String region) {
    RegionAgent agent = agents.get(region);
    if (agent == null) throw new IllegalStateException("region " + region + " is not running");
    return agent;
  }

  public AgentConfig config(String region) {
    return configs.get(region);
  }

  /** A client of {@code region}; it keeps working across restarts of the region (same port). */
  public RegionClient client(String region) {
    return new RegionClient(region, URI.create("http://127.0.0.1:" + configs.get(region).port()));
  }

  public LinkProxy link(String from, String to) {
    LinkProxy proxy = links.get(new Link(from, to));
    if (proxy == null) throw new IllegalArgumentException("no proxied link " + from + " -> " + to);
    return proxy;
  }

  /** Starts (or restarts) the broker on its data directory and ports. */
  public void startBroker() {
    if (broker != null) throw new IllegalStateException("the broker runs already");
    broker = EmbeddedKafkaBroker.start(brokerSettings);
  }

  /** A clean broker shutdown; its log stays on disk for {@link #startBroker()}. */
  public void stopBroker() {
    if (broker != null) broker.close();
    broker = null;
  }

  /** Starts (or restarts) a region on its data directory and port and waits until it replicates. */
  public void startRegion(String region) {
    if (agents.containsKey(region)) throw new IllegalStateException("region " + region + " runs already");
    RegionAgent agent = RegionAgent.start(configs.get(region));
    agents.put(region, agent);
    try {
      assertThat(agent.replication().orElseThrow().awaitConnected(CONNECT_TIMEOUT))
          .as("region %s connects to the log", region).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Closes a region's agent as a clean shutdown would: transfers stop, upload sessions stay on disk. */
  public void stopRegion(String region) {
    RegionAgent agent = agents.remove(region);
    if (agent != null) agent.close();
  }

  @Override
  public void close() {
    try {
      for (String region : new ArrayList<>(agents.keySet())) stopRegion(region);
      links.values().forEach(LinkProxy::close);
    } finally {
      stopBroker();
    }
  }
}
