package dev.meridian.agent.cli;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.security.SecuritySettings;
import dev.meridian.core.clock.RegionId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian up}: the whole fleet on one machine, in this process, until Ctrl-C or SIGTERM. Prints
 * {@code kafka HOST:PORT}, one {@code region ID URL} line per region, {@code front-door URL} (the global endpoint,
 * on the port just below the first region's), then {@code fleet ready}.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Starts a whole fleet on this machine: an embedded Kafka broker and one agent per region.")
public final class UpCommand implements Callable<Integer> {
  @Option(names = "--regions", defaultValue = "eastus,westeurope,southeastasia",
      description = "Comma-separated region ids (default: ${DEFAULT-VALUE}).")
  String regions;

  @Option(names = "--port", defaultValue = "5001", description = "Port of the first region; region i listens on PORT+i, the front door on PORT-1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--kafka-port", defaultValue = "9092",
      description = "Port of the embedded Kafka broker; its controller uses the next one (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--data-dir", defaultValue = "./meridian-data", description = "Where the fleet keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--anonymous-pull", paramLabel = "PATTERN",
      description = "Let anyone pull repositories matching PATTERN without credentials (team-a/*, team-a/**, **). Repeatable; default: nowhere.")
  List<String> anonymousPull = new java.util.ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    List<RegionId> ids = Arrays.stream(regions.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(RegionId::new).toList();
    // One admin password and one fleet key for the whole fleet, in DATA/admin-password and DATA/fleet-key.
    SecuritySettings security = ServeCommand.security(spec, dataDir.toAbsolutePath(), anonymousPull);
    LocalFleet fleet = LocalFleet.start(new LocalFleet.Settings(ids, port, kafkaPort, dataDir), Duration.ofSeconds(60), security);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      fleet.close();
      stopped.countDown();
    }, "meridian-up-shutdown"));
    System.out.println("kafka " + fleet.kafkaBootstrap());
    for (RegionAgent agent : fleet.agents()) System.out.println("region " + agent.config().region() + " " + agent.url());
    System.out.println("front-door " + fleet.frontDoor().url());
    System.out.println("fleet ready");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
