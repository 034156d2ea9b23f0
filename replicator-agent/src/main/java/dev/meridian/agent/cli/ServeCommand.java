package dev.meridian.agent.cli;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.core.clock.RegionId;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian serve}: one region's agent, serving the OCI distribution API until SIGTERM. It prints
 * {@code region ID listening on http://HOST:PORT} on stdout once requests are answered, so a parent
 * process can wait for that line.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Runs one region's registry agent until SIGTERM.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--region", required = true, description = "Region id, e.g. eastus.")
  String region;

  @Option(names = "--port", required = true, description = "HTTP port (0 picks a free one).")
  int port;

  @Option(names = "--data-dir", required = true, description = "Directory for blobs and state.")
  Path dataDir;

  @Option(names = "--bind", defaultValue = AgentConfig.DEFAULT_BIND, description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    AgentConfig config = new AgentConfig(new RegionId(region), bind, port, dataDir);
    RegionAgent agent = RegionAgent.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close(); // SIGTERM: stop serving, then close the state cleanly
      stopped.countDown();
    }, "meridian-serve-shutdown"));
    System.out.println("region " + config.region() + " listening on " + agent.url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
