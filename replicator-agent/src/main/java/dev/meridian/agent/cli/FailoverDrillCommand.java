package dev.meridian.agent.cli;

import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.RegionStatus;
import dev.meridian.agent.drill.AdminApiRegionCut;
import dev.meridian.agent.drill.DrillReport;
import dev.meridian.agent.drill.DrillReportFormat;
import dev.meridian.agent.drill.DrillSettings;
import dev.meridian.agent.drill.DrillUndo;
import dev.meridian.agent.drill.FailoverDrill;
import dev.meridian.agent.drill.FrontDoorRoutingControl;
import dev.meridian.agent.drill.HttpFleetView;
import dev.meridian.agent.drill.Pause;
import dev.meridian.agent.drill.RegistryWorkload;
import dev.meridian.agent.drill.RoutingControl;
import dev.meridian.agent.drill.TopologyRoutingControl;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.TopologyLoader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian drill failover}: takes a region out (cut off from replication through its admin API, out of
 * routing through the replicated topology, or at one front door when the fleet has no topology), runs client traffic through the front door, brings it back, and reports RPO, client
 * errors, time to catch up and convergence. Exit 0 when the drill passed, 1 when it ran and failed or could not
 * run, 2 on bad arguments. The region's process keeps running: this rehearses a partition, not a crash.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Takes a region out of the fleet and back under client traffic, and reports what that cost.")
public final class FailoverDrillCommand implements Callable<Integer> {
  @CommandLine.Mixin CredentialOptions credentials;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--region", required = true, description = "The region to take out.")
  String region;

  /** Where the fleet is learned: a region's admin API or the fleet file. */
  static final class FleetSource {
    @Option(names = "--registry", description = "Any region's URL; the fleet is read from its /admin/v1/regions.")
    String registry;

    @Option(names = "--fleet", description = "The fleet file.")
    Path fleet;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  FleetSource source;

  @Option(names = "--front-door", description = "The global endpoint the workload uses "
      + "(default: the first region's port minus one, as `meridian up` lays it out).")
  String frontDoor;

  /** How the drill takes the region out of routing. */
  enum RoutingVia {
    auto, topology, front_door;

    static RoutingVia parse(String text) {
      return switch (text) {
        case "auto" -> auto;
        case "topology" -> topology;
        case "front-door" -> front_door;
        default -> throw new IllegalArgumentException("--routing-via must be auto, topology or front-door, not '" + text + "'");
      };
    }
  }

  @Option(names = "--routing-via", defaultValue = "auto", description = "topology: PATCH the region's routingEnabled in the "
      + "replicated topology (every front door and region sees it); front-door: drain it at --front-door only (in its "
      + "memory); auto (default): topology when the fleet has one, else front-door.")
  String routingVia;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--duration", defaultValue = "20s", converter = DurationArgument.class,
      description = "How long the workload runs; the region comes back halfway (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--lag-threshold", defaultValue = "2s", converter = DurationArgument.class,
      description = "Routing is restored once the region's lag is under this (default: ${DEFAULT-VALUE}).")
  Duration lagThreshold;

  @Option(names = "--catch-up-timeout", defaultValue = "120s", converter = DurationArgument.class,
      description = "How long to wait for the region to catch up (default: ${DEFAULT-VALUE}).")
  Duration catchUpTimeout;

  @Option(names = "--timeout", defaultValue = "10s", converter = DurationArgument.class,
      description = "Timeout of each request (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    var err = spec.commandLine().getErr();
    var out = spec.commandLine().getOut();
    RegionId target = new RegionId(region);
    Map<RegionId, String> urls;
    try {
      urls = fleetUrls();
    } catch (CompletionException e) {
      err.println("meridian drill failover: " + source.registry + " did not answer: " + Cli.reason(e));
      return 1;
    }
    if (!urls.containsKey(target)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "region " + target + " is not in the fleet " + urls.keySet());
    }
    String door = frontDoor != null ? RegistryUrl.check(spec, frontDoor) : defaultFrontDoor(urls);
    DrillSettings settings;
    try {
      settings = new DrillSettings(target, duration, lagThreshold, catchUpTimeout, Duration.ofSeconds(60), Duration.ofMillis(500));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    RoutingVia via;
    try {
      via = RoutingVia.parse(routingVia);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Optional<String> authorization = credentials.authorization();
    boolean viaTopology = via == RoutingVia.topology
        || (via == RoutingVia.auto && TopologyRoutingControl.available(urls, timeout, authorization));
    RoutingControl routing = viaTopology ? new TopologyRoutingControl(urls, Optional.of(door), timeout, authorization)
        : new FrontDoorRoutingControl(door, timeout);
    err.println("drill: routing through " + (viaTopology ? "the replicated topology (PATCH /admin/v1/replications/" + target + ")"
        : "the front door at " + door + " only"));
    String repository = "meridian-drill/run-" + System.currentTimeMillis();
    DrillUndo undo = new DrillUndo(new AdminApiRegionCut(urls, timeout, authorization), routing);
    FailoverDrill drill = new FailoverDrill(new HttpFleetView(urls, timeout, authorization), undo.cut(),
        undo.routing(), new RegistryWorkload(door, repository, Duration.ofMillis(100),
            System.nanoTime(), timeout, authorization),
        Clock.systemUTC(), Pause.REAL, line -> {
          err.println("drill: " + line);
          err.flush();
        });
    DrillReport report;
    // Ctrl-C or SIGTERM stops the drill without its own failure handling: undo what it did on the way out.
    Thread onExit = new Thread(() -> undo.undo().forEach(line -> {
      err.println("meridian drill failover: " + line);
      err.flush();
    }), "meridian-drill-undo");
    Runtime.getRuntime().addShutdownHook(onExit);
    try {
      report = drill.run(settings);
    } catch (IllegalStateException e) {
      err.println("meridian drill failover: " + e.getMessage());
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it does the undoing
      }
    }
    if (json) out.println(new String(AdminJson.bytes(DrillReportFormat.json(report)), StandardCharsets.UTF_8));
    else out.print(DrillReportFormat.text(report));
    out.flush();
    return report.passed() ? 0 : 1;
  }

  private Map<RegionId, String> fleetUrls() {
    Map<RegionId, String> urls = new LinkedHashMap<>();
    if (source.fleet != null) {
      for (Region r : TopologyLoader.load(source.fleet).regions()) urls.put(r.id(), r.url().toString());
    } else {
      String registry = RegistryUrl.check(spec, source.registry);
      for (RegionStatus s : AdminJson.parseRegions(new AdminHttpClient(timeout, credentials.authorization()).get(registry, "/admin/v1/regions", Map.of()).join())) {
        urls.put(new RegionId(s.id()), s.url());
      }
    }
    return urls;
  }

  private String defaultFrontDoor(Map<RegionId, String> urls) {
    Entry<RegionId, String> first = urls.entrySet().iterator().next();
    URI url = URI.create(first.getValue());
    if (url.getPort() <= 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--front-door is required: " + first.getValue() + " has no port");
    }
    return url.getScheme() + "://" + url.getHost() + ":" + (url.getPort() - 1);
  }
}
