package dev.meridian.agent.cli;

import picocli.CommandLine.Command;

/** {@code meridian drill}: rehearsals of failures against a running fleet. */
@Command(name = "drill", mixinStandardHelpOptions = true, description = "Rehearses failures against a running fleet.",
    subcommands = {FailoverDrillCommand.class})
public final class DrillCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
