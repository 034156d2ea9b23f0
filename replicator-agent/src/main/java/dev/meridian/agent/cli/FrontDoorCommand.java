package dev.meridian.agent.cli;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.frontdoor.ClientRange;
import dev.meridian.agent.frontdoor.FrontDoor;
import dev.meridian.agent.frontdoor.FrontDoorConfig;
import dev.meridian.agent.log.KafkaTopologyLog;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian front-door}: the fleet's global endpoint, until SIGTERM. Prints
 * {@code front-door http://HOST:PORT} once it accepts requests.
 */
@Command(
    name = "front-door",
    mixinStandardHelpOptions = true,
    description = "Runs the global endpoint: one registry URL that routes each request to a healthy region.")
public final class FrontDoorCommand implements Callable<Integer> {
  @Option(names = "--port", required = true, description = "HTTP port (0 picks a free one).")
  int port;

  @Option(names = "--fleet", required = true, description = "Fleet file (YAML) naming the regions and their URLs.")
  Path fleet;

  @Option(names = "--bind", defaultValue = AgentConfig.DEFAULT_BIND, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--prefer", description = "Preferred regions, best first, e.g. westeurope,eastus (default: the fleet file's order).")
  String prefer;

  @Option(names = "--client-range", description = "CIDR=ID,ID...: clients in this address range prefer these regions (repeatable).")
  List<String> clientRanges = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    Topology topology = TopologyLoader.load(fleet);
    List<ClientRange> ranges = clientRanges.stream().map(ClientRange::parse).toList();
    FrontDoorConfig config = new FrontDoorConfig(topology, bind, port,
        prefer == null ? List.of() : ClientRange.regions(prefer), ranges, FrontDoorConfig.DEFAULT_PROBE_INTERVAL);
    // The fleet file says where the log is and how to reach each region; the replicated topology says which
    // regions there are now and whether to route to them.
    LiveTopology live = LiveTopology.seeded(topology);
    KafkaTopologyLog follower = new KafkaTopologyLog(live, false, topology.topicReplicationFactor()).start();
    FrontDoor door = FrontDoor.start(config, live);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      door.close();
      follower.close();
      stopped.countDown();
    }, "meridian-front-door-shutdown"));
    System.out.println("front-door " + door.url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
