package dev.meridian.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} command line: the region agent, the local fleet and the operator tools. */
@Command(
    name = "meridian",
    mixinStandardHelpOptions = true,
    version = "meridian 0.1.0",
    description = "An open geo-replicated OCI container registry.",
    subcommands = {UpCommand.class, ServeCommand.class, BrokerCommand.class, StatusCommand.class, WaitCommand.class,
        FrontDoorCommand.class, TopologyCommand.class, ReplicationCommand.class, DrillCommand.class, GcCommand.class,
        RepositoryCommand.class, PurgeCommand.class, RestoreCommand.class, TokenCommand.class, LoadSyntheticCommand.class})
public final class MeridianCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with an error handler that turns configuration mistakes (a bad fleet file, a bad
   * region id, a port in use) into one clear line on stderr and exit code 2, instead of a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new MeridianCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof dev.meridian.topology.TopologyException || e instanceof java.io.UncheckedIOException) {
        commandLine.getErr().println("meridian " + commandLine.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli;
  }
}
