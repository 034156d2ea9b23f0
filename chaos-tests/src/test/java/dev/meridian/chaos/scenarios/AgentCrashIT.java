package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.it.support.SeededBytes;
import dev.meridian.chaos.Workload;
import dev.meridian.chaos.Workload.Image;
import dev.meridian.chaos.fleet.Fault;
import dev.meridian.core.digest.Digest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kill -9 of a region agent in the middle of a client's upload, and in the middle of a replication transfer. */
class AgentCrashIT extends ChaosScenario {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void anUploadInterruptedByKill9ResumesAfterTheRestartAndReplicates() {
    workload.run(5);
    var westeurope = fleet.client("westeurope");
    byte[] layer = SeededBytes.of(42, 256 * 1024);
    int half = layer.length / 2;

    var started = westeurope.send("POST", "/v2/team-a/app/blobs/uploads/", BodyPublishers.noBody());
    assertThat(started.statusCode()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    var firstChunk = westeurope.send("PATCH", location, BodyPublishers.ofByteArray(Arrays.copyOf(layer, half)),
        "Content-Type", "application/octet-stream", "Content-Range", "0-" + (half - 1));
    assertThat(firstChunk.statusCode()).isEqualTo(202);

    fleet.agent("westeurope").kill9();
    workload.step(java.util.List.of("eastus", "southeastasia"));
    fleet.agent("westeurope").start();

    var status = westeurope.send("GET", location, BodyPublishers.noBody());
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).contains("0-" + (half - 1));
    var rest = westeurope.send("PATCH", location, BodyPublishers.ofByteArray(Arrays.copyOfRange(layer, half, layer.length)),
        "Content-Type", "application/octet-stream", "Content-Range", half + "-" + (layer.length - 1));
    assertThat(rest.statusCode()).isEqualTo(202);
    String finish = rest.headers().firstValue("Location").orElseThrow();
    var done = westeurope.send("PUT", finish + (finish.contains("?") ? "&" : "?") + "digest=" + Digest.sha256Of(layer),
        BodyPublishers.noBody());
    assertThat(done.statusCode()).isEqualTo(201);

    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"resumed\":true}".getBytes(StandardCharsets.UTF_8);
    var image = new Image("team-a/app", Digest.sha256Of(Workload.imageManifest(config, layer)),
        Workload.imageManifest(config, layer), config, layer);
    workload.pushAgain(westeurope, image, "resumed");
    workload.run(5);
    assertConverges();
    assertThat(fleet.client("southeastasia").headManifest("team-a/app", "resumed")).contains(image.digest());
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aTransferInterruptedByKill9ResumesAfterTheRestart() {
    workload.run(5);
    // westeurope copies from eastus slowly, so the kill lands while the layer is half-way.
    fleet.link("westeurope", "eastus").set(Fault.bandwidth(128 * 1024));
    Image big = workload.pushImage(fleet.client("eastus"), "team-a/app", "big", 3 * 1024 * 1024);
    Path uploads = fleet.dataDir("westeurope").resolve("blobs-root/uploads");
    await("westeurope holds part of the layer").atMost(Duration.ofSeconds(30))
        .until(() -> partialTransferBytes(uploads) > 64 * 1024);

    fleet.agent("westeurope").kill9();
    fleet.healAll();
    workload.step(java.util.List.of("eastus", "southeastasia"));
    fleet.agent("westeurope").start();

    assertConverges();
    assertThat(fleet.client("westeurope").headManifest("team-a/app", "big")).contains(big.digest());
  }

  /** Bytes held by replication transfers in progress ({@code uploads/xfer-*}). */
  private static long partialTransferBytes(Path uploads) throws java.io.IOException {
    if (!Files.isDirectory(uploads)) return 0;
    try (Stream<Path> files = Files.walk(uploads)) {
      return files.filter(p -> p.toString().contains("xfer-") && Files.isRegularFile(p))
          .mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
