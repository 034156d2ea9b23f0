package dev.meridian.agent.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program to completion with a timeout; a non-zero exit or a timeout fails with the command
 * line and everything it printed, which is what a failing test needs to show.
 *
 * <p>stdout and stderr go to files under {@code target/it-commands/} rather than pipes, so a chatty program
 * can never block on a full pipe buffer, warnings on stderr never corrupt machine-readable stdout, and the
 * files stay for post-mortems.
 */
public final class CommandLineTool {
  private static final Path OUTPUT_DIR = Path.of("target", "it-commands");

  private CommandLineTool() {}

  /** What a finished command printed, and its exit code. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result requireSuccess() {
      if (exitCode != 0) throw new AssertionError(describe("exited with " + exitCode));
      return this;
    }

    public String describe(String what) {
      return String.join(" ", command) + " " + what + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
    }
  }

  /** Runs {@code command} and fails unless it exits 0 within {@code timeout}. */
  public static Result run(Duration timeout, List<String> command) {
    return runAllowingFailure(timeout, command).requireSuccess();
  }

  /** Runs {@code command}; fails only on a timeout. */
  public static Result runAllowingFailure(Duration timeout, List<String> command) {
    try {
      Files.createDirectories(OUTPUT_DIR);
      String prefix = Path.of(command.get(0)).getFileName() + "-";
      Path stdout = Files.createTempFile(OUTPUT_DIR, prefix, ".out");
      Path stderr = stdout.resolveSibling(stdout.getFileName().toString().replace(".out", ".err"));
      Files.writeString(stdout.resolveSibling(stdout.getFileName() + ".cmd"), String.join(" ", command));
      Process process = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(result(command, -1, stdout, stderr).describe("timed out after " + timeout));
      }
      return result(command, process.exitValue(), stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  private static Result result(List<String> command, int exitCode, Path stdout, Path stderr) throws IOException {
    return new Result(List.copyOf(command), exitCode,
        Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
