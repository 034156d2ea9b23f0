package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.chaos.ConvergenceChecker;
import dev.meridian.chaos.FleetObserver;
import dev.meridian.chaos.RegionView;
import dev.meridian.chaos.Workload.Image;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A blob rots on one region's disk in the middle of a workload: that region's scrubber finds it, quarantines
 * it and fetches it again from a peer, the fleet converges, and no client is ever handed the corrupt bytes.
 */
class CorruptBlobIT extends ChaosScenario {
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aBlobCorruptedOnDiskIsQuarantinedFetchedAgainAndNeverServed() throws IOException {
    String rotten = "westeurope";
    workload.run(6);
    Image image = workload.pushImage(fleet.client("eastus"), "team-a/app", "scrubbed", 64 * 1024);
    Digest layer = Digest.sha256Of(image.layer());
    Path stored = new BlobPaths(fleet.dataDir(rotten).resolve("blobs-root")).blob(layer);
    // Looked up on disk, not over HTTP: a read would be a client's read of what is about to rot.
    await(rotten + " holds the layer").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(stored));
    workload.run(4);

    corruptOneByte(stored);
    workload.step(List.of("eastus", "southeastasia"));
    var scrub = fleet.client(rotten).send("POST", "/admin/v1/scrub", BodyPublishers.noBody());
    assertThat(scrub.statusCode()).isEqualTo(200);
    assertThat(new String(scrub.body(), StandardCharsets.UTF_8)).as("the scrub pass").contains(layer.toString());
    workload.run(6);

    List<String> corruptReads = new CopyOnWriteArrayList<>();
    ConvergenceChecker.awaitConverged(() -> {
      List<RegionView> views = FleetObserver.observe(clients(), workload.history());
      for (RegionView view : views) {
        view.incomplete().stream().filter(line -> line.contains("hashes to")).forEach(line -> corruptReads.add(view.region() + ": " + line));
      }
      return views;
    }, workload.history(), convergenceTimeout());
    assertThat(corruptReads).as("content served with bytes that do not match its digest").isEmpty();
    assertThat(fleet.client(rotten).getBlob("team-a/app", layer)).hasValueSatisfying(
        bytes -> assertThat(Digest.sha256Of(bytes)).isEqualTo(layer));
    assertThat(Digest.sha256Of(Files.readAllBytes(stored))).as("the copy on disk, fetched again").isEqualTo(layer);
    try (var quarantined = Files.list(fleet.dataDir(rotten).resolve("blobs-root/quarantine"))) {
      assertThat(quarantined.toList()).singleElement();
    }
  }

  /** Flips one byte in the middle of a stored blob file, keeping its size. */
  private static void corruptOneByte(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long middle = channel.size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, middle);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      channel.write(one, middle);
      channel.force(true);
    }
  }
}
