package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.chaos.Workload.Image;
import dev.meridian.chaos.fleet.Fault;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.digest.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A region whose links to its peers carry 16 KiB/s does not slow the replication between the others. */
class SlowPeerIT extends ChaosScenario {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aBandwidthCappedPeerDoesNotHoldUpTheOthers() {
    String slow = "southeastasia";
    fleet.peerLinks(slow, Fault.bandwidth(16 * 1024));
    var eastus = fleet.client("eastus");
    var westeurope = fleet.client("westeurope");

    // 2 MiB at 16 KiB/s: the slow region needs over two minutes for this layer alone.
    Image big = workload.pushImage(eastus, "team-a/app", "big", 2 * 1024 * 1024);
    var small = new ArrayList<Image>();
    for (int i = 0; i < 5; i++) small.add(workload.pushImage(eastus, "team-b/tool", "v" + i, 2048));

    await("westeurope serves every image while the slow peer is still copying").atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(westeurope.headManifest("team-a/app", "big")).contains(big.digest());
          for (int i = 0; i < small.size(); i++) {
            assertThat(westeurope.headManifest("team-b/tool", "v" + i)).contains(small.get(i).digest());
          }
        });
    // Looked up on disk, not over HTTP: a read could make the region fetch on demand.
    Digest layer = Digest.sha256Of(big.layer());
    assertThat(new BlobPaths(fleet.dataDir(slow).resolve("blobs-root")).blob(layer))
        .as("the slow region cannot have copied 2 MiB yet").doesNotExist();

    fleet.healAll();
    assertConverges();
  }
}
