package dev.meridian.agent.embedded;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.security.FleetKey;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.frontdoor.FrontDoor;
import dev.meridian.agent.frontdoor.FrontDoorConfig;
import dev.meridian.agent.security.SecuritySettings;
import dev.meridian.core.clock.RegionId;
import dev.meridian.agent.log.KafkaTopologyLog;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A whole fleet in one process: the embedded KRaft broker, one agent per region, region i on
 * {@code 127.0.0.1:(basePort + i)}, and the front door (the global endpoint) on {@code 127.0.0.1:(basePort - 1)}. One process means nothing outlives it: kill it and the broker and every
 * region go with it. The layout under the data directory:
 *
 * <pre>
 * DATA/fleet.yaml            the fleet file, written at every start (usable by `serve --fleet`)
 * DATA/admin-password        the admin's password, unless MERIDIAN_ADMIN_PASSWORD gives it (mode 0600)
 * DATA/fleet-key             the fleet key every region shares, unless MERIDIAN_FLEET_KEY gives it (mode 0600)
 * DATA/kafka/                the broker's log
 * DATA/regions/REGION/       each region's blobs and state
 * </pre>
 */
public final class LocalFleet implements AutoCloseable {
  /** What to start. */
  public record Settings(List<RegionId> regions, int basePort, int kafkaPort, Path dataDir) {
    public Settings {
      regions = List.copyOf(regions);
      if (regions.isEmpty()) throw new IllegalArgumentException("a fleet needs at least one region");
      if (regions.stream().distinct().count() != regions.size()) throw new IllegalArgumentException("duplicate region in " + regions);
      if (basePort < 2 || basePort + regions.size() - 1 > 65_535) throw new IllegalArgumentException("ports out of range from " + basePort);
      if (kafkaPort < 1 || kafkaPort >= 65_535) throw new IllegalArgumentException("kafka port out of range: " + kafkaPort);
      requireNonNull(dataDir, "dataDir");
    }
  }

  private final EmbeddedKafkaBroker broker;
  private final Topology topology;
  private final List<RegionAgent> agents;
  private final FrontDoor frontDoor;
  private final KafkaTopologyLog frontDoorTopology;
  private final SecuritySettings security;

  private LocalFleet(EmbeddedKafkaBroker broker, Topology topology, List<RegionAgent> agents, FrontDoor frontDoor,
      KafkaTopologyLog frontDoorTopology, SecuritySettings security) {
    this.frontDoorTopology = frontDoorTopology;
    this.security = security;
    this.broker = broker;
    this.topology = topology;
    this.agents = agents;
    this.frontDoor = frontDoor;
  }

  /**
   * Starts the broker and every region; returns once each region serves and replicates. Every region shares one
   * admin password and one fleet key: from the environment ({@code MERIDIAN_ADMIN_PASSWORD}, {@code MERIDIAN_FLEET_KEY})
   * or else {@code DATA/admin-password} and {@code DATA/fleet-key} (made if missing).
   */
  public static LocalFleet start(Settings settings, Duration readyTimeout) throws InterruptedException {
    return start(settings, readyTimeout, UnaryOperator.identity());
  }

  /** The same, with each region's configuration adjusted by {@code configure} (e.g. shorter lifecycle periods). */
  public static LocalFleet start(Settings settings, Duration readyTimeout, UnaryOperator<AgentConfig> configure)
      throws InterruptedException {
    return start(settings, readyTimeout,
        SecuritySettings.resolve(settings.dataDir().toAbsolutePath(), System.getenv()), configure);
  }

  /** As {@link #start(Settings, Duration)}, every region with {@code security}. */
  public static LocalFleet start(Settings settings, Duration readyTimeout, SecuritySettings security) throws InterruptedException {
    return start(settings, readyTimeout, security, UnaryOperator.identity());
  }

  /** Every region with {@code security}, its configuration adjusted by {@code configure}. */
  public static LocalFleet start(Settings settings, Duration readyTimeout, SecuritySettings security,
      UnaryOperator<AgentConfig> configure) throws InterruptedException {
    Path data = settings.dataDir().toAbsolutePath();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
        new EmbeddedKafkaBroker.Settings(data.resolve("kafka"), settings.kafkaPort(), settings.kafkaPort() + 1, false));
    List<RegionAgent> agents = new ArrayList<>();
    try {
      List<Region> regions = new ArrayList<>();
      for (int i = 0; i < settings.regions().size(); i++) {
        regions.add(new Region(settings.regions().get(i), URI.create("http://127.0.0.1:" + (settings.basePort() + i)),
            true, RegionMode.READ_WRITE));
      }
      Topology topology = new Topology(broker.bootstrapServers(), Topology.DEFAULT_PARTITIONS, Topology.DEFAULT_REPLICATION_FACTOR, regions);
      writeFleetFile(data.resolve("fleet.yaml"), topology);
      // One key for the whole fleet (from the environment, else DATA/fleet-key made on the first run).
      FleetKey key = security.fleetKey();
      for (Region region : regions) {
        agents.add(RegionAgent.start(configure.apply(AgentConfig.member(region.id(), AgentConfig.DEFAULT_BIND,
            region.url().getPort(), data.resolve("regions").resolve(region.id().value()), topology)
            .withSecurity(SecurityConfig.defaults().withFleetKey(key)).withSecurity(security))));
      }
      for (RegionAgent agent : agents) {
        if (!agent.replication().orElseThrow().awaitConnected(readyTimeout)) {
          throw new IllegalStateException("region " + agent.config().region() + " did not connect to the log within " + readyTimeout);
        }
      }
      // The front door follows the replicated topology, as `meridian front-door` does.
      LiveTopology live = LiveTopology.seeded(topology);
      KafkaTopologyLog follower = new KafkaTopologyLog(live, false, topology.topicReplicationFactor()).start();
      FrontDoor door = FrontDoor.start(FrontDoorConfig.of(topology, AgentConfig.DEFAULT_BIND, settings.basePort() - 1), live);
      return new LocalFleet(broker, topology, List.copyOf(agents), door, follower, security);
    } catch (RuntimeException | InterruptedException e) {
      agents.forEach(RegionAgent::close);
      broker.close();
      throw e;
    }
  }

  private static void writeFleetFile(Path file, Topology topology) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, TopologyLoader.toYaml(topology));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fleet file " + file, e);
    }
  }

  public String kafkaBootstrap() {
    return broker.bootstrapServers();
  }

  /** The embedded broker: stopping it cuts every region off the log (they keep serving). */
  public EmbeddedKafkaBroker broker() {
    return broker;
  }

  /** The fleet as it was started (the seed of the replicated topology; changes since are in each agent's). */
  public Topology topology() {
    return topology;
  }

  public List<RegionAgent> agents() {
    return agents;
  }

  /** The security every region shares: its admin password is the one clients log in with as {@code admin}. */
  public SecuritySettings security() {
    return security;
  }

  /** The global endpoint in front of every region. */
  public FrontDoor frontDoor() {
    return frontDoor;
  }

  /** Stops the front door, every region, then the broker. */
  @Override
  public void close() {
    try {
      frontDoor.close();
      frontDoorTopology.close();
      for (RegionAgent agent : agents) agent.close();
    } finally {
      broker.close();
    }
  }
}
