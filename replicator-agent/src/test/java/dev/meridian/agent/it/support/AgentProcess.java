package dev.meridian.agent.it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A region agent running as a child JVM ({@code java -jar meridian.jar serve}), the way an operator runs it:
 * tests see it only through its port, its data directory and its log.
 *
 * <p>The jar comes from the {@code meridian.jar} system property (failsafe sets it). Each start picks a free
 * loopback port, sends the agent's output to a log file, and waits for {@code /readyz}. {@link #restart()}
 * reuses the data directory and, if it is still free, the port. Children are killed when the test JVM exits,
 * so a crashed test run leaves no agent holding ports.
 *
 * <p>{@link #startMember} runs a fleet member instead ({@code serve --fleet FILE}), on the port its fleet file
 * gives it and with the JVM options the test asks for (e.g. a small {@code -Xmx}).
 *
 * <p>With {@code -Dit.registry=distribution} the same tests run against CNCF distribution
 * ({@code docker-registry}) instead: a baseline that tells a test bug from an agent bug. Tests that depend
 * on Meridian-only behaviour may then fail; that is expected.
 */
public final class AgentProcess {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  /** The fleet key of every agent a test starts ({@code MERIDIAN_FLEET_KEY}), so fleet members accept each other's events. */
  public static final String TEST_FLEET_KEY = TestCredentials.FLEET_KEY_HEX;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
  private static final boolean BASELINE = "distribution".equals(System.getProperty("it.registry"));
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final HttpClient PROBE =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
  }

  private final String region;
  private final Path dataDir;
  private final Path logDir;
  private final List<String> jvmOptions;
  private final Optional<Path> fleetFile;
  private int port;
  private int starts;
  private Process process;
  private Path logFile;

  private AgentProcess(String region, Path dataDir, Path logDir, List<String> jvmOptions, Optional<Path> fleetFile) {
    this.region = region;
    this.dataDir = dataDir.toAbsolutePath();
    this.logDir = logDir.toAbsolutePath();
    this.jvmOptions = List.copyOf(jvmOptions);
    this.fleetFile = fleetFile.map(Path::toAbsolutePath);
  }

  /** Starts an agent for {@code region} on {@code dataDir} and returns once it is ready. */
  public static AgentProcess start(String region, Path dataDir, Path logDir) {
    var agent = new AgentProcess(region, dataDir, logDir, DEFAULT_JVM_OPTIONS, Optional.empty());
    agent.startOnSomePort(FreePort.pick());
    return agent;
  }

  /**
   * Starts {@code region} as a member of the fleet in {@code fleetFile}, listening on {@code port} (the port of its
   * URL there), with {@code jvmOptions} (none: the defaults), and returns once it is ready.
   */
  public static AgentProcess startMember(
      String region, Path fleetFile, int port, Path dataDir, Path logDir, List<String> jvmOptions) {
    var options = new ArrayList<>(jvmOptions.isEmpty() ? DEFAULT_JVM_OPTIONS : jvmOptions);
    if (!options.contains("-XX:+ExitOnOutOfMemoryError")) options.add("-XX:+ExitOnOutOfMemoryError");
    var agent = new AgentProcess(region, dataDir, logDir, options, Optional.of(fleetFile));
    agent.startOnSomePort(port);
    return agent;
  }

  public String region() {
    return region;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, as image references want it. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  public URI baseUri() {
    return URI.create("http://" + hostPort());
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Sends SIGTERM and waits for the agent to exit; fails if it does not within 30 s. Returns the exit code. */
  public int stop() {
    if (!isAlive()) return process == null ? 0 : process.exitValue();
    process.destroy(); // SIGTERM on Unix
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("agent " + region + " did not exit within " + STOP_TIMEOUT + " of SIGTERM\n" + logTail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      LIVE.remove(process);
    }
  }

  /** Sends SIGKILL: the agent gets no chance to flush, close files or finish requests. */
  public void kill9() {
    if (!isAlive()) return;
    process.destroyForcibly(); // SIGKILL on Unix
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      LIVE.remove(process);
    }
  }

  /** Stops the agent if it runs (SIGTERM), then starts it again on the same data directory. */
  public void restart() {
    stop();
    startOnSomePort(port);
  }

  /** The last lines of the current log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return "--- " + logFile + " (last 60 lines)\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ": " + e + ")";
    }
  }

  /** Tries {@code preferredPort}, then fresh ports: another process may take a free port before we bind it. */
  private void startOnSomePort(int preferredPort) {
    int candidate = preferredPort;
    for (int attempt = 1; ; attempt++) {
      if (launch(candidate)) return;
      // A fleet member's port is written in the fleet file its peers read: it cannot move.
      if (attempt == 3 || fleetFile.isPresent() || !logMentionsBindFailure()) {
        throw new AssertionError("agent " + region + " exited before it was ready, code "
            + process.exitValue() + "\n" + logTail());
      }
      candidate = FreePort.pick();
    }
  }

  /** Starts the child and waits until it is ready; false if it died first. */
  private boolean launch(int candidatePort) {
    port = candidatePort;
    starts++;
    try {
      Files.createDirectories(logDir);
      Files.createDirectories(dataDir);
      logFile = logDir.resolve(region + "-" + starts + ".log");
      List<String> command = BASELINE ? distributionCommand() : agentCommand();
      Files.writeString(logFile, String.join(" ", command) + "\n");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(TestCredentials.environment()); // every region of a test fleet: one admin, one fleet key
      process = builder.start();
      LIVE.add(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start agent " + region, e);
    }
    try {
      await("agent " + region + " ready on port " + port)
          .atMost(READY_TIMEOUT)
          .pollDelay(Duration.ofMillis(100))
          .pollInterval(Duration.ofMillis(200))
          .failFast("agent process exited", () -> !process.isAlive())
          .until(this::answersReady);
    } catch (TerminalFailureException e) {
      LIVE.remove(process);
      return false;
    } catch (ConditionTimeoutException e) {
      kill9();
      throw new AssertionError("agent " + region + " not ready within " + READY_TIMEOUT + "\n" + logTail(), e);
    }
    if (BASELINE) return true;
    String banner = "region " + region + " listening on http://127.0.0.1:" + port;
    try {
      await("agent " + region + " prints its banner").atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(logFile, StandardCharsets.UTF_8).contains(banner));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("agent " + region + " is ready but never printed '" + banner + "'\n" + logTail(), e);
    }
    return true;
  }

  private List<String> agentCommand() {
    String jar = System.getProperty("meridian.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property meridian.jar must name the built jar, got " + jar);
    }
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar, "serve", "--region", region, "--port", Integer.toString(port),
        "--data-dir", dataDir.toString(), "--bind", "127.0.0.1"));
    fleetFile.ifPresent(file -> command.addAll(List.of("--fleet", file.toString())));
    return command;
  }

  /** CNCF distribution on the same port and directory; no auth section, so no htpasswd. */
  private List<String> distributionCommand() throws IOException {
    Path config = logDir.resolve("distribution-" + starts + ".yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log: {level: info}",
        "storage:",
        "  filesystem: {rootdirectory: " + dataDir + "}",
        "  delete: {enabled: true}",
        "http: {addr: 127.0.0.1:" + port + ", secret: baseline-secret}", // a fixed secret keeps uploads valid across restarts
        ""));
    return List.of("docker-registry", "serve", config.toString());
  }

  private boolean answersReady() {
    try {
      var request = HttpRequest.newBuilder(baseUri().resolve(BASELINE ? "/v2/" : "/readyz")).timeout(Duration.ofSeconds(2)).GET().build();
      return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean logMentionsBindFailure() {
    try {
      String log = Files.readString(logFile, StandardCharsets.UTF_8);
      return log.contains("Address already in use") || log.contains("BindException");
    } catch (IOException e) {
      return false;
    }
  }
}
