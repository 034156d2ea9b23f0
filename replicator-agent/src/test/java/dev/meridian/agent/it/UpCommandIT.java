package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.MeridianProcess;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code meridian up} as a child process, the one-command local fleet: what it prints, that its regions
 * replicate, that SIGTERM stops all of it and a second start on the same data directory keeps the content, and
 * that kill -9 leaves nothing listening (broker and regions live and die in that one process).
 */
class UpCommandIT {
  private static final Duration READY = Duration.ofSeconds(90);
  /** 128 + SIGTERM: a JVM ended by SIGTERM exits so once its shutdown hooks (here: stop every region, then the broker) ran. */
  private static final int SIGTERM_EXIT = 143;

  @RegisterExtension final Agents dirs = new Agents();
  private final List<MeridianProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(MeridianProcess::destroy);
  }

  @Test
  void upPrintsItsFleetReplicatesStopsOnSigtermRestartsWithItsDataAndLeavesNoListenerAfterKill9() {
    // The front door takes PORT-1, the regions PORT and PORT+1.
    int port = FreePort.consecutive(3) + 1;
    int kafkaPort = FreePort.consecutive(2);
    while (kafkaPort + 1 >= port - 1 && kafkaPort <= port + 1) kafkaPort = FreePort.consecutive(2);
    List<Integer> ports = List.of(port - 1, port, port + 1, kafkaPort, kafkaPort + 1);
    Path data = dirs.scratch("data");
    List<String> expectedLines = List.of(
        "kafka 127.0.0.1:" + kafkaPort,
        "region a http://127.0.0.1:" + port,
        "region b http://127.0.0.1:" + (port + 1),
        "front-door http://127.0.0.1:" + (port - 1),
        "fleet ready");

    MeridianProcess up = up(port, kafkaPort, data, "first");
    assertThat(up.awaitStdoutLines(5, READY)).containsExactlyElementsOf(expectedLines);
    var a = new RegionClient("a", URI.create("http://127.0.0.1:" + port));
    var b = new RegionClient("b", URI.create("http://127.0.0.1:" + (port + 1)));
    var layout = new OciLayoutWriter(dirs.scratch("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(3001, 200_000)));
    a.skopeo().copy(Skopeo.oci(layout.root(), "v1"), a.ref("up/app:v1"), false);
    await("b serves what was pushed to a").atMost(READY)
        .untilAsserted(() -> assertThat(b.resolve("up/app", "v1")).contains(image.manifestDigest()));
    Path pulled = dirs.scratch("pulled");
    b.skopeo().copy(b.ref("up/app:v1"), Skopeo.oci(pulled, "v1"), false);
    assertThat(new OciLayout(pulled).digestOf("v1")).isEqualTo(image.manifestDigest());

    int exit = up.sigterm(Duration.ofSeconds(60));
    assertThat(exit).as("exit code after SIGTERM\n%s", up.logTail()).isEqualTo(SIGTERM_EXIT);
    assertThat(up.log()).contains("agent.stop region=a", "agent.stop region=b", "kafka broker stopped");
    assertThat(up.stdout()).as("nothing more on stdout than the ready lines").isEqualTo(expectedLines);
    assertNothingListensOn(ports);

    MeridianProcess again = up(port, kafkaPort, data, "second");
    assertThat(again.awaitStdoutLines(5, READY)).containsExactlyElementsOf(expectedLines);
    assertThat(a.resolve("up/app", "v1")).contains(image.manifestDigest());
    assertThat(b.resolve("up/app", "v1")).contains(image.manifestDigest());
    for (var blob : image.blobDigests()) assertThat(b.servesBlob("up/app", blob)).isTrue();

    again.kill9();
    assertNothingListensOn(ports);
  }

  private MeridianProcess up(int port, int kafkaPort, Path data, String label) {
    MeridianProcess process = MeridianProcess.start(List.of("-Xmx768m"),
        List.of("up", "--regions", "a,b", "--port", Integer.toString(port), "--kafka-port", Integer.toString(kafkaPort),
            "--data-dir", data.toString()),
        dirs.scratch("logs-" + label).resolve("up.log"));
    started.add(process);
    return process;
  }

  /** Binding succeeds only where no socket listens (SO_REUSEADDR lets old connections in TIME_WAIT not matter). */
  private static void assertNothingListensOn(List<Integer> ports) {
    await("every port of the fleet is free").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          for (int p : ports) assertThat(canBind(p)).as("port %d is free", p).isTrue();
        });
  }

  private static boolean canBind(int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
