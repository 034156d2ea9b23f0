package dev.meridian.agent.cli;

import dev.meridian.topology.Region;
import dev.meridian.topology.RepositoryFilter;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyException;
import dev.meridian.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code meridian topology ...}: working with fleet files. */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description = "Works with fleet files.",
    subcommands = {TopologyCommand.Validate.class})
public final class TopologyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code meridian topology validate FILE}: checks a fleet file and prints every violation, one per line, so
   * a change can be reviewed before any region loads it. Exit 0 when valid, 1 when not.
   */
  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Checks a fleet file; prints every violation.")
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The fleet file (YAML).")
    Path file;

    @Override
    public Integer call() {
      try {
        Topology topology = TopologyLoader.load(file);
        spec.commandLine().getOut().println(file + ": valid, kafka " + topology.kafkaBootstrap() + ", "
            + topology.regions().size() + " regions: "
            + topology.regions().stream().map(this::describe).collect(Collectors.joining(", "))
            + (topology.costs().isEmpty() ? "" : "; costs: " + topology.costs().stream()
                .map(c -> c.from() + "->" + c.to() + " " + c.cost()).collect(Collectors.joining(", "))));
        return 0;
      } catch (TopologyException e) {
        spec.commandLine().getErr().println(file + ": " + e.violations().size() + " problem(s)");
        e.violations().forEach(v -> spec.commandLine().getErr().println("  - " + v));
        return 1;
      }
    }

    private String describe(Region r) {
      return r.id() + " " + r.url() + " (" + r.mode().text() + (r.routingEnabled() ? "" : ", routing disabled")
          + (r.repositories().isDefault() ? "" : ", repositories " + filter(r.repositories())) + ")";
    }

    private static String filter(RepositoryFilter f) {
      return "include " + f.include() + (f.exclude().isEmpty() ? "" : " exclude " + f.exclude());
    }
  }
}
