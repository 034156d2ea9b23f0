package dev.meridian.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} command line: the region agent, the local fleet and the operator tools. */
@Command(
    name = "meridian",
    mixinStandardHelpOptions = true,
    version = "meridian 0.1.0",
    description = "An open geo-replicated OCI container registry.",
    subcommands = {BrokerCommand.class, ServeCommand.class})
public final class MeridianCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new MeridianCommand()).execute(args));
  }
}
