package dev.meridian.agent.cli;

import dev.meridian.agent.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian broker}: a single-node Kafka broker (KRaft, broker and controller in one) on 127.0.0.1,
 * run until SIGTERM. It prints {@code kafka 127.0.0.1:PORT} on stdout once clients can connect, so a parent
 * process can wait for that line.
 *
 * <p>With {@code --exit-on-stdin-eof} it also stops when its stdin reaches end of file: a parent that holds
 * the other end of the pipe takes the broker down with it even when the parent dies by kill -9, which
 * would otherwise leave an orphan broker holding the ports.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Runs a single-node Kafka broker (KRaft) on 127.0.0.1 until SIGTERM.")
public final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--port", required = true, description = "Client port (PLAINTEXT listener).")
  int port;

  @Option(names = "--controller-port", description = "KRaft controller port (default: --port + 1).")
  Integer controllerPort;

  @Option(names = "--data-dir", required = true, description = "Log directory; formatted on first use only.")
  Path dataDir;

  @Option(names = "--listener", paramLabel = "PORT:ADVERTISED_PORT",
      description = "Another client listener on PORT that tells its clients to connect to ADVERTISED_PORT "
          + "(e.g. a TCP proxy in front of PORT); repeatable.")
  List<String> listeners = new ArrayList<>();

  @Option(names = "--exit-on-stdin-eof", description = "Stop when stdin reaches end of file.")
  boolean exitOnStdinEof;

  @Override
  public Integer call() throws InterruptedException {
    var extra = listeners.stream().map(EmbeddedKafkaBroker.AdvertisedListener::parse).toList();
    var settings = new EmbeddedKafkaBroker.Settings(
        dataDir, port, controllerPort != null ? controllerPort : port + 1, false, extra); // fatal faults end this process
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close(); // SIGTERM: a clean shutdown, so the next start needs no log recovery
      stopped.countDown();
    }, "meridian-broker-shutdown"));
    if (exitOnStdinEof) watchStdin(System.in, broker, stopped);
    System.out.println("kafka " + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static void watchStdin(InputStream in, EmbeddedKafkaBroker broker, CountDownLatch stopped) {
    Thread watcher = new Thread(() -> {
      try {
        while (in.read() >= 0) {
          // input is ignored: only its end matters
        }
      } catch (IOException e) {
        // a broken stdin means the parent is gone, the same as end of file
      }
      broker.close();
      stopped.countDown();
    }, "meridian-broker-stdin");
    watcher.setDaemon(true);
    watcher.start();
  }
}
