package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.it.support.AgentProcess;
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
import dev.meridian.core.digest.Digest;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 500 MiB layer crosses the fleet the way an operator runs it: the broker ({@code meridian broker}) and two
 * regions ({@code meridian serve --fleet FILE}) as separate JVMs, the regions with a 64 MiB heap (an eighth of the layer). The layer is
 * generated and hashed as a stream, so this test holds none of it in memory either.
 */
class LargeBlobReplicationIT {
  private static final int LAYER_BYTES = 500 << 20;
  private static final List<String> SMALL_HEAP = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");

  @RegisterExtension final Agents agents = new Agents();
  private MeridianProcess broker;

  /** Runs before {@link Agents} stops leftover agents (a failed test): they then stop without the log, which they survive. */
  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.closeStdin(); // --exit-on-stdin-eof: the broker goes when its parent lets go
      broker.awaitExit(Duration.ofSeconds(60));
    }
  }

  @Test
  void fiveHundredMebibyteLayerPushedToOneRegionIsPulledFromTheOtherWithItsDigest() {
    int kafkaPort = FreePort.consecutive(2);
    broker = MeridianProcess.start(List.of("-Xmx512m"),
        List.of("broker", "--port", Integer.toString(kafkaPort), "--data-dir", agents.scratch("kafka").toString(),
            "--exit-on-stdin-eof"),
        agents.scratch("broker-logs").resolve("broker.log"));
    assertThat(broker.awaitStdoutLines(1, Duration.ofSeconds(90))).containsExactly("kafka 127.0.0.1:" + kafkaPort);

    int portA = FreePort.pick();
    int portB = FreePort.pick();
    Path fleetFile = agents.scratch("fleet").resolve("fleet.yaml");
    writeFleetFile(fleetFile, new Topology("127.0.0.1:" + kafkaPort, Topology.DEFAULT_PARTITIONS,
        Topology.DEFAULT_REPLICATION_FACTOR,
        List.of(Region.of("a", "http://127.0.0.1:" + portA), Region.of("b", "http://127.0.0.1:" + portB))));
    AgentProcess agentA = agents.startMember("a", fleetFile, portA, SMALL_HEAP);
    AgentProcess agentB = agents.startMember("b", fleetFile, portB, SMALL_HEAP);
    RegionClient a = RegionClient.of(agentA);
    RegionClient b = RegionClient.of(agentB);

    var layout = new OciLayoutWriter(agents.scratch("source"));
    WrittenImage image = layout.image("big", Platform.LINUX_AMD64, List.of(LayerSpec.plain(2001, LAYER_BYTES)));
    Digest layer = image.layerDigests().get(0);
    a.skopeo().copy(Skopeo.oci(layout.root(), "big"), a.ref("large/one:big"), false);

    await("b serves the image").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .failFast("an agent died", () -> !agentA.isAlive() || !agentB.isAlive())
        .untilAsserted(() -> assertThat(b.resolve("large/one", "big")).contains(image.manifestDigest()));

    Path pulled = agents.scratch("pulled");
    b.skopeo().copy(b.ref("large/one:big"), Skopeo.oci(pulled, "big"), false);
    var copy = new OciLayout(pulled);
    assertThat(copy.digestOf("big")).isEqualTo(image.manifestDigest());
    assertThat(copy.claimedToActualDigests())
        .containsOnlyKeys(image.manifestDigest(), image.configDigest(), layer)
        .allSatisfy((claimed, actual) -> assertThat(actual).as("bytes of %s", claimed).isEqualTo(claimed));
    assertThat(Files.exists(pulled.resolve("blobs/sha256").resolve(layer.hex()))).isTrue();
    assertThat(agentA.isAlive() && agentB.isAlive()).as("both agents ran the whole transfer within 64 MiB").isTrue();
    // Regions first, then the log they are connected to, as an operator would stop them.
    agentA.stop();
    agentB.stop();
  }

  private static void writeFleetFile(Path file, Topology topology) {
    try {
      Files.writeString(file, TopologyLoader.toYaml(topology));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
