package dev.meridian.agent.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole local fleet (embedded broker, two regions, the front door) driven by skopeo. The steps share the fleet
 * and run in order, each leaving it more broken: the log stopped, then the preferred region stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorFleetIT {
  private static final String REPO = "team-a/app";
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");

  @TempDir static Path dir;
  private LocalFleet fleet;
  private OciLayoutWriter layout;

  @BeforeAll
  void startFleet() throws Exception {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5 && fleet == null; attempt++) {
      int base = FreePort.pick();
      int kafka = FreePort.pick();
      try {
        fleet = LocalFleet.start(new LocalFleet.Settings(List.of(EAST, WEST), base, kafka, dir.resolve("fleet-" + attempt)),
            Duration.ofSeconds(60));
      } catch (IllegalStateException e) {
        last = e; // a neighbouring port was taken: pick again
      }
    }
    if (fleet == null) throw last;
    layout = new OciLayoutWriter(dir.resolve("source"));
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) fleet.close();
  }

  private Skopeo skopeo(String url) {
    return new Skopeo(url.substring("http://".length()));
  }

  private RegionAgent region(RegionId id) {
    return fleet.agents().stream().filter(a -> a.config().region().equals(id)).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
  void skopeoPushesAndPullsThroughTheFrontDoorWhichUsesThePreferredRegion() {
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1, 2 << 20), LayerSpec.plain(2, 70_000)));
    Skopeo door = skopeo(fleet.frontDoor().url());
    door.copy(Skopeo.oci(layout.root(), "v1"), door.ref(REPO + ":v1"), false);

    // The push went to eastus (first in the fleet): it holds everything as soon as skopeo is done.
    for (Digest blob : image.blobDigests()) {
      assertThat(region(EAST).service().statBlob(new RepositoryName(REPO), blob).digest()).isEqualTo(blob);
    }
    assertThat(door.inspectRaw(door.ref(REPO + ":v1"))).isEqualTo(image.manifestBytes());
    Path pulled = dir.resolve("pulled-v1");
    door.copy(door.ref(REPO + ":v1"), Skopeo.oci(pulled, "v1"), false);
    assertThat(new OciLayout(pulled).digestOf("v1")).isEqualTo(image.manifestDigest());
  }

  @Test
  @Order(2)
  void aPullFromAnotherRegionRightAfterAPushSucceedsByReadThroughEvenWithoutTheLog() {
    fleet.broker().close(); // nothing replicates from here on: only read-through can bring the image to westeurope
    WrittenImage image = layout.image("v2", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(3, 1 << 20), LayerSpec.gzip(4, 40_000)));
    Skopeo east = skopeo(region(EAST).url());
    Skopeo west = skopeo(region(WEST).url());
    east.copy(Skopeo.oci(layout.root(), "v2"), east.ref(REPO + ":v2"), false);

    long started = System.nanoTime();
    Path pulled = dir.resolve("pulled-v2");
    west.copy(west.ref(REPO + ":v2"), Skopeo.oci(pulled, "v2"), false);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(new OciLayout(pulled).digestOf("v2")).isEqualTo(image.manifestDigest());
    assertThat(west.inspectRaw(west.ref(REPO + "@" + image.manifestDigest()))).isEqualTo(image.manifestBytes());
    assertThat(region(WEST).service().statBlob(new RepositoryName(REPO), image.blobDigests().get(0)).digest())
        .isEqualTo(image.blobDigests().get(0));
  }

  @Test
  @Order(3)
  void withThePreferredRegionStoppedPushesAndPullsThroughTheFrontDoorStillSucceed() {
    region(EAST).close();
    WrittenImage image = layout.image("v3", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(5, 1 << 20)));
    Skopeo door = skopeo(fleet.frontDoor().url());
    door.copy(Skopeo.oci(layout.root(), "v3"), door.ref(REPO + ":v3"), false);
    assertThat(region(WEST).service().statBlob(new RepositoryName(REPO), image.blobDigests().get(0)).digest())
        .isEqualTo(image.blobDigests().get(0));
    Path pulled = dir.resolve("pulled-v3");
    door.copy(door.ref(REPO + ":v3"), Skopeo.oci(pulled, "v3"), false);
    assertThat(new OciLayout(pulled).digestOf("v3")).isEqualTo(image.manifestDigest());
    // westeurope learned v2 by read-through: it serves it through the front door too.
    assertThat(door.inspectRaw(door.ref(REPO + ":v2"))).isNotEmpty();
  }
}
