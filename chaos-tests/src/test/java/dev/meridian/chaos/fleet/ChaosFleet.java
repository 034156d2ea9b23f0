package dev.meridian.chaos.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A broker and N region agents as real processes, wired so that every byte between two of them passes a
 * {@link FaultProxy}:
 *
 * <ul>
 *   <li>region A reaches region B only through the proxy {@code link(A, B)}: A's fleet file (each region has
 *       its own) gives B's URL as that proxy's port;
 *   <li>region A reaches Kafka only through {@code kafka(A)}: the broker has a listener per region that
 *       advertises that region's proxy ({@code meridian broker --listener}), so after bootstrap the Kafka
 *       clients keep going through it.
 * </ul>
 *
 * So a partition of A is "blackhole every proxy that touches A". Clients of the registry (the workload and
 * the checker) call the agents directly. Processes can be killed with -9 and started again on the same
 * data directories and ports. Logs: {@code DIR/<process>/logs/}.
 */
public final class ChaosFleet implements AutoCloseable {
  private final Path dir;
  private final List<String> regions;
  private final MeridianProcess broker;
  private final int brokerPort;
  private final Map<String, MeridianProcess> agents = new LinkedHashMap<>();
  private final Map<String, Integer> agentPorts = new LinkedHashMap<>();
  private final Map<String, FaultProxy> kafkaProxies = new LinkedHashMap<>();
  private final Map<String, FaultProxy> links = new LinkedHashMap<>();
  private final Map<String, RegionClient> clients = new LinkedHashMap<>();

  private ChaosFleet(Path dir, List<String> regions, Map<String, List<String>> agentArguments, PortReservations ports) {
    this.dir = dir.toAbsolutePath();
    this.regions = List.copyOf(regions);
    this.brokerPort = ports.reserve();
    var brokerArgs = new ArrayList<>(List.of("broker", "--port", Integer.toString(brokerPort),
        "--controller-port", Integer.toString(ports.reserve()),
        "--data-dir", this.dir.resolve("broker/data").toString(), "--exit-on-stdin-eof"));
    for (String region : regions) {
      int listenerPort = ports.reserve();
      FaultProxy proxy = FaultProxy.start("kafka-" + region, listenerPort);
      kafkaProxies.put(region, proxy);
      brokerArgs.addAll(List.of("--listener", listenerPort + ":" + proxy.port()));
      agentPorts.put(region, ports.reserve());
    }
    this.broker = new MeridianProcess("broker", brokerArgs, "kafka 127.0.0.1:" + brokerPort, this.dir.resolve("broker/logs"));
    for (String from : regions) {
      for (String to : regions) {
        if (!from.equals(to)) links.put(key(from, to), FaultProxy.start(from + "-to-" + to, agentPorts.get(to)));
      }
    }
    for (String region : regions) {
      Path fleetFile = writeFleetFile(region);
      int port = agentPorts.get(region);
      var serve = new ArrayList<>(List.of("serve", "--region", region,
          "--data-dir", this.dir.resolve(region + "/data").toString(), "--fleet", fleetFile.toString(),
          "--port", Integer.toString(port)));
      serve.addAll(agentArguments.getOrDefault(region, List.of()));
      agents.put(region, new MeridianProcess(region, serve, "region " + region + " listening on", this.dir.resolve(region + "/logs")));
      clients.put(region, new RegionClient(region, port));
    }
  }

  /** Starts the broker, then every agent; returns once each has announced itself. */
  public static ChaosFleet start(Path dir, List<String> regions) {
    return start(dir, regions, Map.of(), f -> { });
  }

  /**
   * The same with more {@code serve} arguments for some regions (e.g. {@code --clock-offset=-5m}), and
   * {@code beforeAgents} run once the directories are laid out, before any agent starts (e.g. to mount a small
   * file system under a region's data directory).
   */
  public static ChaosFleet start(Path dir, List<String> regions, Map<String, List<String>> agentArguments,
      java.util.function.Consumer<ChaosFleet> beforeAgents) {
    deleteRecursively(dir);
    ChaosFleet fleet;
    try (var ports = new PortReservations()) {
      fleet = new ChaosFleet(dir, regions, agentArguments, ports);
    } // released only now: a proxy binding port 0 meanwhile could otherwise get a process's port
    try {
      beforeAgents.accept(fleet);
      fleet.broker.start();
      fleet.agents.values().forEach(MeridianProcess::start);
      return fleet;
    } catch (RuntimeException | Error e) {
      fleet.close();
      throw e;
    }
  }

  public List<String> regions() {
    return regions;
  }

  public RegionClient client(String region) {
    return require(clients, region);
  }

  /** {@code 127.0.0.1:PORT} of the broker itself, bypassing every proxy (for a test's own Kafka clients). */
  public String brokerBootstrap() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The proxy that {@code from}'s requests to {@code to} pass. */
  public FaultProxy link(String from, String to) {
    return require(links, key(from, to));
  }

  /** The proxy between {@code region} and the broker. */
  public FaultProxy kafka(String region) {
    return require(kafkaProxies, region);
  }

  /** Every proxy that carries bytes to or from {@code region}. */
  public List<FaultProxy> proxiesOf(String region) {
    var touching = new ArrayList<FaultProxy>();
    touching.add(kafka(region));
    for (String other : regions) {
      if (!other.equals(region)) {
        touching.add(link(region, other));
        touching.add(link(other, region));
      }
    }
    return touching;
  }

  /** Cuts {@code region} off from the broker and every other region (both ways), until {@link #healAll()}. */
  public void partition(String region) {
    proxiesOf(region).forEach(p -> p.set(Fault.BLACKHOLE));
  }

  /** Sets {@code fault} on every proxy between {@code region} and the other regions (not the broker). */
  public void peerLinks(String region, Fault fault) {
    proxiesOf(region).stream().filter(p -> p != kafka(region)).forEach(p -> p.set(fault));
  }

  /** Every proxy passes everything again. */
  public void healAll() {
    kafkaProxies.values().forEach(FaultProxy::heal);
    links.values().forEach(FaultProxy::heal);
  }

  public MeridianProcess agent(String region) {
    return require(agents, region);
  }

  /** The data directory of {@code region}'s agent. */
  public Path dataDir(String region) {
    require(agents, region);
    return dir.resolve(region + "/data");
  }

  public MeridianProcess broker() {
    return broker;
  }

  /** The last log lines of every process, for a failure message. */
  public String logTails() {
    var all = new ArrayList<MeridianProcess>(agents.values());
    all.add(broker);
    return all.stream().map(MeridianProcess::logTail).collect(Collectors.joining("\n"));
  }

  /** SIGTERM to every agent, then the broker; closes the proxies. */
  @Override
  public void close() {
    agents.values().forEach(MeridianProcess::stop);
    broker.stop();
    links.values().forEach(FaultProxy::close);
    kafkaProxies.values().forEach(FaultProxy::close);
  }

  private Path writeFleetFile(String self) {
    var yaml = new StringBuilder()
        .append("kafka: 127.0.0.1:").append(kafka(self).port()).append('\n')
        .append("topics: { partitions: 4, replicationFactor: 1 }\n")
        .append("regions:\n");
    for (String region : regions) {
      int port = region.equals(self) ? agentPorts.get(region) : link(self, region).port();
      yaml.append("  - id: ").append(region).append('\n')
          .append("    url: http://127.0.0.1:").append(port).append('\n');
    }
    try {
      Path file = dir.resolve(self + "/fleet.yaml");
      Files.createDirectories(file.getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Free loopback ports held open until closed, so nothing in this JVM is given them meanwhile. */
  private static final class PortReservations implements AutoCloseable {
    private final List<ServerSocket> held = new ArrayList<>();

    int reserve() {
      try {
        var socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        held.add(socket);
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }

    @Override
    public void close() {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // nothing to release
        }
      }
    }
  }

  private static String key(String from, String to) {
    return from + "->" + to;
  }

  private static <T> T require(Map<String, T> map, String key) {
    T value = map.get(key);
    if (value == null) throw new IllegalArgumentException("no " + key + " in this fleet");
    return value;
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
