package dev.meridian.agent.cli;

import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import picocli.CommandLine;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.security.AdminPassword;
import dev.meridian.agent.security.RepositoryPattern;
import dev.meridian.agent.security.SecuritySettings;
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

  @Option(names = "--data-dir", required = true, description = "Directory for blobs and state.")
  Path dataDir;

  @Option(names = "--bind", defaultValue = AgentConfig.DEFAULT_BIND, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--stall-threshold", defaultValue = "120s", converter = DurationArgument.class,
      description = "Work pending and no progress for this long marks the region degraded (default: ${DEFAULT-VALUE}).")
  java.time.Duration stallThreshold;

  @Option(names = "--anonymous-pull", paramLabel = "PATTERN",
      description = "Let anyone pull repositories matching PATTERN without credentials (team-a/* one level, team-a/** any depth, ** all). Repeatable; default: nowhere.")
  java.util.List<String> anonymousPull = new java.util.ArrayList<>();

  /**
   * The settings from the environment and {@code dataDir}; a newly generated admin password is printed once,
   * with where it was saved.
   */
  static SecuritySettings security(CommandLine.Model.CommandSpec spec, Path dataDir, java.util.List<String> anonymousPull) {
    java.util.List<RepositoryPattern> patterns = new java.util.ArrayList<>();
    try {
      for (String pattern : anonymousPull) patterns.add(new RepositoryPattern(pattern));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--anonymous-pull: " + e.getMessage());
    }
    SecuritySettings settings = SecuritySettings.resolve(dataDir, System.getenv()).withAnonymousPull(patterns);
    if (settings.adminPassword().generated()) {
      System.out.println("admin password " + settings.adminPassword().value() + " (saved in "
          + dataDir.resolve(AdminPassword.FILE_NAME) + "; MERIDIAN_ADMIN_PASSWORD sets it instead)");
    }
    return settings;
  }

  @Override
  public Integer call() throws InterruptedException {
    RegionId id = new RegionId(region);
    AgentConfig config;
    if (fleet == null) {
      if (port == null) throw new CommandLine.ParameterException(spec.commandLine(), "--port is required without --fleet");
      config = new AgentConfig(id, bind, port, dataDir);
    } else {
      Topology topology = TopologyLoader.load(fleet);
      Region self = topology.region(id).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
          "region " + id + " is not in the fleet file " + fleet));
      config = AgentConfig.member(id, bind, port == null ? self.url().getPort() : port, dataDir, topology);
    }
    if (stallThreshold.isZero()) throw new CommandLine.ParameterException(spec.commandLine(), "--stall-threshold must be positive");
    config = config.withAdmin(config.admin().withStallThreshold(stallThreshold));
    config = config.withSecurity(security(spec, dataDir, anonymousPull));
    RegionAgent agent = RegionAgent.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close(); // SIGTERM: stop serving, then close the state cleanly
      stopped.countDown();
    }, "meridian-serve-shutdown"));
    System.out.println("region " + config.region() + " listening on " + agent.url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
