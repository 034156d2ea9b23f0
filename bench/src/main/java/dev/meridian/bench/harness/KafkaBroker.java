package dev.meridian.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single-node KRaft broker as a child process ({@code meridian broker --exit-on-stdin-eof}): it also
 * exits if the harness dies, because its stdin is a pipe from this JVM.
 */
public final class KafkaBroker implements AutoCloseable {
  private final int port;
  private final ChildProcess process;

  private KafkaBroker(int port, ChildProcess process) {
    this.port = port;
    this.process = process;
  }

  public static KafkaBroker start(MeridianJar jar, Path dataDir, Path logs) {
    int port = FreePort.pickPair();
    var process = ChildProcess.start("kafka", jar.command(List.of("-Xmx512m"), "broker", "--port",
        Integer.toString(port), "--data-dir", dataDir.toString(), "--exit-on-stdin-eof"),
        logs.resolve("kafka-" + port + ".log"));
    try {
      process.awaitUntil("'kafka 127.0.0.1:" + port + "'", Duration.ofSeconds(120),
          () -> process.logContains("kafka 127.0.0.1:" + port));
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return new KafkaBroker(port, process);
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.close();
  }
}
