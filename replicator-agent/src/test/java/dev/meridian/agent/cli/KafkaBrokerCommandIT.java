package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.embedded.FreePorts;
import dev.meridian.agent.log.KafkaTopics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meridian broker} as a child process, the way a local fleet runs it. */
class KafkaBrokerCommandIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Process child;

  @AfterEach
  void killLeftovers() {
    if (child != null) child.destroyForcibly();
  }

  @Test
  void theBrokerAnnouncesItselfStopsOnSigtermAndOnStdinEndAndKeepsItsTopics() throws Exception {
    int[] ports = FreePorts.two();
    Path dataDir = dir.resolve("kafka");

    child = start(ports, dataDir);
    assertThat(readyLine(child)).isEqualTo("kafka 127.0.0.1:" + ports[0]);
    try (var topics = new KafkaTopics("127.0.0.1:" + ports[0])) {
      topics.ensure("kept", 2, (short) 1, TIMEOUT);
    }
    child.destroy(); // SIGTERM
    assertThat(child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    child = start(ports, dataDir);
    assertThat(readyLine(child)).isEqualTo("kafka 127.0.0.1:" + ports[0]);
    try (var topics = new KafkaTopics("127.0.0.1:" + ports[0])) {
      assertThat(topics.partitionCount("kept", TIMEOUT)).isEqualTo(2);
    }
    child.getOutputStream().close(); // what the parent's death looks like from the child
    await().atMost(TIMEOUT).until(() -> !child.isAlive());
    assertThat(child.exitValue()).isZero();
  }

  private static Process start(int[] ports, Path dataDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("meridian.jar", "target/meridian.jar");
    return new ProcessBuilder(List.of(java, "-jar", jar, "broker", "--port", Integer.toString(ports[0]),
            "--controller-port", Integer.toString(ports[1]), "--data-dir", dataDir.toString(), "--exit-on-stdin-eof"))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String readyLine(Process process) throws Exception {
    var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return reader.readLine();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
