package dev.meridian.agent.cli;

import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import picocli.CommandLine;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.replication.SeedFrom;
import dev.meridian.agent.repair.RepairConfig;
import dev.meridian.core.clock.RegionId;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian serve}: one region's agent, serving the OCI distribution API until SIGTERM. It prints
 * {@code region ID listening on http://HOST:PORT} on stdout once requests are answered, so a parent
 * process can wait for that line.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Runs one region's registry agent until SIGTERM.")
public final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--region", required = true, description = "Region id, e.g. eastus.")
  String region;

  @Option(names = "--port", description = "HTTP port (0 picks a free one); with --fleet, defaults to the port of this region's URL.")
  Integer port;

  @Option(names = "--fleet", description = "Fleet file (YAML): makes this region a member that replicates with the others.")
  Path fleet;

  @Option(names = "--kafka", description = "Kafka bootstrap servers (HOST:PORT), without a fleet file: the region learns the fleet "
      + "from the replicated topology, and replicates once `meridian replication create --region ID` has added it.")
  String kafka;

  @Option(names = "--data-dir", required = true, description = "Directory for blobs and state.")
  Path dataDir;

  @Option(names = "--bind", defaultValue = AgentConfig.DEFAULT_BIND, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--stall-threshold", defaultValue = "120s", converter = DurationArgument.class,
      description = "Work pending and no progress for this long marks the region degraded (default: ${DEFAULT-VALUE}).")
  java.time.Duration stallThreshold;

  @Option(names = "--seed-from", defaultValue = "auto", paramLabel = "REGION|auto|none",
      description = "With --fleet and an empty data dir: the peer whose register snapshot this region seeds itself from "
          + "before following the log; auto tries every other region in fleet order (default: ${DEFAULT-VALUE}).")
  String seedFrom;

  @Option(names = "--scrub-rate", defaultValue = "16MiB", converter = ByteRateArgument.class,
      description = "How fast the scrubber may re-read stored blobs, per second (default: ${DEFAULT-VALUE}).")
  long scrubRate;

  @Option(names = "--scrub-interval", defaultValue = "24h", converter = DurationArgument.class,
      description = "Pause between two scrub passes over every blob (default: ${DEFAULT-VALUE}).")
  java.time.Duration scrubInterval;

  @Option(names = "--anti-entropy-interval", defaultValue = "5m", converter = DurationArgument.class,
      description = "Pause between two comparisons of this region's registers with every peer's (default: ${DEFAULT-VALUE}).")
  java.time.Duration antiEntropyInterval;

  /** For drills and tests only: a region whose machine's clock is wrong, to rehearse clock skew. */
  @Option(names = "--clock-offset", hidden = true, defaultValue = "0s", converter = SignedDurationArgument.class,
      description = "Diagnostic, for drills and tests: shift this agent's clock (the HLC's physical part, logs and "
          + "metrics alike) by this much, e.g. -5m.")
  java.time.Duration clockOffset;

  @Override
  public Integer call() throws InterruptedException {
    RegionId id = new RegionId(region);
    AgentConfig config;
    if (fleet != null && kafka != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--kafka and --fleet exclude each other (the fleet file names the Kafka)");
    }
    if (fleet == null) {
      if (port == null) throw new CommandLine.ParameterException(spec.commandLine(), "--port is required without --fleet");
      config = kafka == null ? new AgentConfig(id, bind, port, dataDir) : AgentConfig.joining(id, bind, port, dataDir, kafka);
    } else {
      Topology topology = TopologyLoader.load(fleet);
      Region self = topology.region(id).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
          "region " + id + " is not in the fleet file " + fleet));
      config = AgentConfig.member(id, bind, port == null ? self.url().getPort() : port, dataDir, topology);
    }
    if (stallThreshold.isZero()) throw new CommandLine.ParameterException(spec.commandLine(), "--stall-threshold must be positive");
    config = config.withAdmin(config.admin().withStallThreshold(stallThreshold));
    try {
      config = config.withSeed(SeedFrom.parse(seedFrom));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--seed-from " + seedFrom + ": " + e.getMessage());
    }
    if (scrubInterval.isZero() || antiEntropyInterval.isZero()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--scrub-interval and --anti-entropy-interval must be positive");
    }
    config = config.withRepair(new RepairConfig(scrubRate, scrubInterval, antiEntropyInterval));
    java.time.Clock clock = clockOffset.isZero() ? java.time.Clock.systemUTC() : java.time.Clock.offset(java.time.Clock.systemUTC(), clockOffset);
    if (!clockOffset.isZero()) System.err.println("meridian serve: clock offset " + clockOffset.toMillis() + " ms (diagnostic: for drills and tests)");
    RegionAgent agent = RegionAgent.start(config, clock);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close(); // SIGTERM: stop serving, then close the state cleanly
      stopped.countDown();
    }, "meridian-serve-shutdown"));
    System.out.println("region " + config.region() + " listening on " + agent.url());
    if (kafka != null && agent.replication().map(r -> r.membership() == dev.meridian.agent.replication.RegionMembership.WAITING).orElse(false)) {
      System.out.println("region " + config.region() + " is not in the fleet yet: it replicates once "
          + "`meridian replication create --region " + config.region() + " --url " + agent.url() + " --registry URL` has added it");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }
}
