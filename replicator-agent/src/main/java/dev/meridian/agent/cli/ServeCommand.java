package dev.meridian.agent.cli;

import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import picocli.CommandLine;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.lifecycle.GarbageCollector;
import dev.meridian.agent.lifecycle.RetentionPolicy;
import dev.meridian.agent.lifecycle.QuotaPolicy;
import dev.meridian.agent.RegionAgent;
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

  @Option(names = "--gc-grace", defaultValue = "1h", converter = DurationArgument.class,
      description = "Blobs stored or linked more recently are never collected (default: ${DEFAULT-VALUE}).")
  java.time.Duration gcGrace;

  @Option(names = "--gc-interval", defaultValue = "1h", converter = DurationArgument.class,
      description = "How often garbage collection runs (default: ${DEFAULT-VALUE}).")
  java.time.Duration gcInterval;

  @Option(names = "--upload-grace", defaultValue = "24h", converter = DurationArgument.class,
      description = "An upload session idle this long is abandoned and deleted (default: ${DEFAULT-VALUE}).")
  java.time.Duration uploadGrace;

  @Option(names = "--retention-untagged", description = "Days (0-365) an untagged manifest is kept; off by default. "
      + "Applied for the whole fleet by its first read-write region only.")
  Integer retentionUntagged;

  @Option(names = "--retention", description = "REPO_REGEX=DAYS: retention of untagged manifests for matching repositories (repeatable; the first match wins).")
  java.util.List<String> retentionRules = new java.util.ArrayList<>();

  @Option(names = "--soft-delete-days", defaultValue = "0",
      description = "Days (0-90) a deleted manifest stays restorable with meridian restore; 0 turns soft delete off (default).")
  int softDeleteDays;

  @Option(names = "--quota", description = "Storage quota of the registry, e.g. 500G: a push beyond it is refused (DENIED).")
  String quota;

  @Option(names = "--namespace-quota", description = "NAMESPACE=SIZE: storage quota of one namespace (repeatable).")
  java.util.List<String> namespaceQuotas = new java.util.ArrayList<>();

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
    if (gcInterval.isZero()) throw new CommandLine.ParameterException(spec.commandLine(), "--gc-interval must be positive");
    RetentionPolicy retention;
    try {
      retention = new RetentionPolicy(java.util.Optional.ofNullable(retentionUntagged),
          retentionRules.stream().map(RetentionPolicy.Rule::parse).toList());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    config = config.withLifecycle(config.lifecycle()
        .withGc(new GarbageCollector.Settings(gcGrace, uploadGrace, gcInterval)).withRetention(retention));
    if (softDeleteDays < 0 || softDeleteDays > 90) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--soft-delete-days must be 0 to 90");
    }
    config = config.withLifecycle(config.lifecycle().withSoftDelete(java.time.Duration.ofDays(softDeleteDays)));
    try {
      java.util.Map<String, Long> namespaces = new java.util.HashMap<>();
      namespaceQuotas.stream().map(QuotaPolicy::parseNamespace).forEach(e -> namespaces.put(e.getKey(), e.getValue()));
      config = config.withLifecycle(config.lifecycle().withQuota(
          new QuotaPolicy(java.util.Optional.ofNullable(quota).map(QuotaPolicy::parseSize), namespaces)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
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
