package dev.meridian.chaos.fleet;

import dev.meridian.agent.it.support.TestCredentials;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code java -jar meridian.jar ...} child process (a broker or a region agent) that can be started,
 * killed with -9 and started again with the same arguments, so on the same data directory and ports.
 *
 * <p>It counts as started once its log holds the line it prints when ready. Each start logs to its own file,
 * {@code <name>-<n>.log}. Stdin stays an open pipe: a broker run with {@code --exit-on-stdin-eof} dies with
 * the test JVM even when that JVM is killed; a shutdown hook kills the rest.
 */
public final class MeridianProcess {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
  }

  private final String name;
  private final List<String> arguments;
  private final String readyLine;
  private final Path logDir;
  private int starts;
  private Process process;
  private Path logFile;

  public MeridianProcess(String name, List<String> arguments, String readyLine, Path logDir) {
    this.name = name;
    this.arguments = List.copyOf(arguments);
    this.readyLine = readyLine;
    this.logDir = logDir.toAbsolutePath();
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** Starts the process and returns once it printed its ready line; fails if it dies or takes over 90 s. */
  public void start() {
    if (isAlive()) throw new IllegalStateException(name + " is already running");
    starts++;
    try {
      Files.createDirectories(logDir);
      logFile = logDir.resolve(name + "-" + starts + ".log");
      List<String> command = command();
      Files.writeString(logFile, String.join(" ", command) + "\n");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(TestCredentials.environment()); // one admin password and fleet key for the fleet
      process = builder.start();
      LIVE.add(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    try {
      await(name + " prints '" + readyLine + "'").atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .failFast(name + " exited before it was ready", () -> !process.isAlive())
          .until(() -> Files.readString(logFile, StandardCharsets.UTF_8).contains(readyLine));
    } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
      kill9();
      throw new AssertionError(name + " did not start\n" + logTail(), e);
    }
  }

  /** SIGKILL: no flush, no clean close; waits until the process is gone. */
  public void kill9() {
    if (!isAlive()) return;
    process.destroyForcibly();
    waitFor(STOP_TIMEOUT);
    LIVE.remove(process);
  }

  /** SIGTERM, then waits; returns false (and kills it) if it did not exit within 30 s. */
  public boolean stop() {
    if (!isAlive()) return true;
    process.destroy();
    boolean exited = waitFor(STOP_TIMEOUT);
    if (!exited) kill9();
    LIVE.remove(process);
    return exited;
  }

  /** The last lines of the current log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return "--- " + logFile + " (last 40 lines)\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log at " + logFile + ")";
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> command() {
    String jar = System.getProperty("meridian.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property meridian.jar must name the built jar, got " + jar);
    }
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-jar", jar));
    command.addAll(arguments);
    return command;
  }
}
