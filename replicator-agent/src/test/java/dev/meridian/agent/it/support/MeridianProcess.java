package dev.meridian.agent.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Any {@code meridian} command ({@code broker}, {@code up}, ...) as a child JVM from the packaged jar, for tests
 * that read what it prints: stdout is collected line by line, stderr (the log) goes to a file.
 *
 * <p>Its stdin stays an open pipe, so {@code broker --exit-on-stdin-eof} lives exactly as long as this handle
 * (or the test JVM) does; {@link #closeStdin()} ends it the way a dying parent would. Children still running
 * when the test JVM exits are killed.
 */
public final class MeridianProcess {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
  }

  private final Process process;
  private final Path logFile;
  private final List<String> stdout = new CopyOnWriteArrayList<>();

  private MeridianProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  /** Starts {@code java JVM_OPTIONS -jar meridian.jar ARGS}, its stderr appended to {@code logFile}. */
  public static MeridianProcess start(List<String> jvmOptions, List<String> args, Path logFile) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, String.join(" ", command) + "\n");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(TestCredentials.environment()); // the test fleet's admin and fleet key
      Process process = builder.start();
      LIVE.add(process);
      var child = new MeridianProcess(process, logFile);
      Thread reader = new Thread(child::readStdout, "meridian-child-stdout-" + process.pid());
      reader.setDaemon(true);
      reader.start();
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The packaged jar, from the {@code meridian.jar} system property failsafe sets. */
  public static Path jar() {
    String jar = System.getProperty("meridian.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property meridian.jar must name the built jar, got " + jar);
    }
    return Path.of(jar);
  }

  private void readStdout() {
    try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) stdout.add(line);
    } catch (IOException e) {
      // the child is gone: what it printed so far is all there is
    }
  }

  /** Waits until the child printed {@code count} lines and returns them; fails if it dies or times out first. */
  public List<String> awaitStdoutLines(int count, Duration timeout) {
    try {
      Awaitility.await("child printing " + count + " lines").atMost(timeout).pollInterval(Duration.ofMillis(100))
          .failFast("the child exited", () -> !process.isAlive() && stdout.size() < count)
          .until(() -> stdout.size() >= count);
    } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError("printed " + stdout + " instead of " + count + " lines\n" + logTail(), e);
    }
    return List.copyOf(stdout.subList(0, count));
  }

  /** Every stdout line so far. */
  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, then waits for the exit; returns the exit code, fails if the child is still running after {@code timeout}. */
  public int sigterm(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  /** SIGKILL: no shutdown hook runs. Returns once the child is gone. */
  public void kill9() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** Closes the child's stdin, as the death of a parent holding the pipe would. */
  public void closeStdin() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed: the child sees end of file either way
    }
  }

  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("child " + process.pid() + " still running " + timeout + " later\n" + logTail());
      }
      LIVE.remove(process);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the child if it still runs; for cleanup after a failed test. */
  public void destroy() {
    if (process.isAlive()) kill9();
  }

  public Path logFile() {
    return logFile;
  }

  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log at " + logFile + ": " + e + ")";
    }
  }

  /** The last lines of stderr, for failure messages. */
  public String logTail() {
    List<String> lines = log().lines().toList();
    return "--- " + logFile + " (last 60 lines)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
