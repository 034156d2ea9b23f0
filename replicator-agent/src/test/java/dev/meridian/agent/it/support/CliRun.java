package dev.meridian.agent.it.support;

import dev.meridian.agent.cli.MeridianCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code meridian} command line in this JVM and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
