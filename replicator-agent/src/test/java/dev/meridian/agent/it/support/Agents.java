package dev.meridian.agent.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that starts agents for one test and always stops them after it, pass or fail. Each test
 * gets fresh directories: {@code target/it-runs/<class>/<method>/<region>/} holds the data directory
 * ({@code data/}) and the logs ({@code logs/<region>-<n>.log}, one per start).
 *
 * <p>After a failed test the log tails are printed (failsafe keeps them in the test's output file). An agent
 * that will not stop on SIGTERM fails an otherwise passing test: clean shutdown is part of the contract.
 *
 * <pre>{@code @RegisterExtension final Agents agents = new Agents();}</pre>
 */
public final class Agents implements BeforeEachCallback, AfterEachCallback {
  private final List<AgentProcess> started = new ArrayList<>();
  private Path testDir;

  @Override
  public void beforeEach(ExtensionContext context) {
    testDir = Path.of("target", "it-runs",
        context.getRequiredTestClass().getSimpleName(), context.getRequiredTestMethod().getName()).toAbsolutePath();
    deleteRecursively(testDir);
  }

  /** Starts an agent for {@code region} on a fresh data directory. */
  public AgentProcess start(String region) {
    Path regionDir = testDir.resolve(region);
    AgentProcess agent = AgentProcess.start(region, regionDir.resolve("data"), regionDir.resolve("logs"));
    started.add(agent);
    return agent;
  }

  /** Starts {@code region} as a member of the fleet in {@code fleetFile}, on {@code port}, with these JVM options. */
  public AgentProcess startMember(String region, Path fleetFile, int port, List<String> jvmOptions) {
    Path regionDir = testDir.resolve(region);
    AgentProcess agent =
        AgentProcess.startMember(region, fleetFile, port, regionDir.resolve("data"), regionDir.resolve("logs"), jvmOptions);
    started.add(agent);
    return agent;
  }

  /** A fresh directory of this test's own, e.g. for an OCI layout or podman's storage. */
  public Path scratch(String name) {
    Path dir = testDir.resolve("scratch").resolve(name);
    deleteRecursively(dir);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    boolean failed = context.getExecutionException().isPresent();
    AssertionError stopFailure = null;
    for (AgentProcess agent : started) {
      if (failed) System.err.println(agent.logTail());
      try {
        agent.stop();
      } catch (AssertionError e) {
        agent.kill9();
        if (stopFailure == null) stopFailure = e;
      }
    }
    started.clear();
    if (stopFailure != null && !failed) throw stopFailure;
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
