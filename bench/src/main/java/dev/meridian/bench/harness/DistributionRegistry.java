package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CNCF distribution ({@code docker-registry serve}, Debian's 2.8.2) on fresh storage: the speed baseline.
 * Configured like a peer (no auth, loopback only, deletes on), never with the packaged config file, which
 * turns on htpasswd auth on every interface.
 */
public final class DistributionRegistry implements Registry {
  private final int port;
  private final ChildProcess process;

  private DistributionRegistry(int port, ChildProcess process) {
    this.port = port;
    this.process = process;
  }

  public static DistributionRegistry start(Path storage, Path logs) {
    int port = FreePort.pick();
    Path config = logs.resolve("distribution-" + port + ".yml"); // kept with the logs, outside the storage
    try {
      Files.createDirectories(logs);
      Files.writeString(config, String.join("\n",
          "version: 0.1",
          "log: {level: warn}",
          "storage:",
          "  filesystem: {rootdirectory: " + storage.toAbsolutePath() + "}",
          "  delete: {enabled: true}",
          "http: {addr: 127.0.0.1:" + port + ", secret: bench-secret}",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var process = ChildProcess.start("distribution", List.of("docker-registry", "serve", config.toString()),
        logs.resolve("distribution-" + port + ".log"));
    var registry = new DistributionRegistry(port, process);
    try {
      process.awaitUntil("/v2/ 200", Duration.ofSeconds(60), () -> Http.status("GET", registry.url() + "/v2/") == 200);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return registry;
  }

  @Override
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
