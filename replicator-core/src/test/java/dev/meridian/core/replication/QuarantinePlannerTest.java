package dev.meridian.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.TransferJob;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuarantinePlannerTest {
  private static final RegionId SELF = new RegionId("westeu");
  private static final RegionId EAST = new RegionId("eastus");
  private static final RepositoryName APP = new RepositoryName("team-a/app");
  private static final RepositoryName MIRROR = new RepositoryName("team-b/mirror");

  private final ReplicaFixture region = new ReplicaFixture(SELF);
  private final QuarantinePlanner planner = new QuarantinePlanner(region.state, ReplicaFixture.FIXED);

  @AfterEach
  void close() {
    region.close();
  }

  @Test
  void everyManifestRelyingOnALostBlobInEveryRepositoryBecomesPendingWithAJobFromItsOrigin() {
    RepairImages shared = RepairImages.image("shared");
    RepairImages other = RepairImages.image("other");
    shared.storeIn(region.blobs);
    other.storeIn(region.blobs);
    region.replay(shared.put(EAST, 10, APP));
    region.replay(shared.put(EAST, 11, MIRROR));
    region.replay(other.put(EAST, 12, APP));
    ManifestPut index = RepairImages.indexPut(List.of(shared, other), EAST, 13, APP, region.blobs);
    region.replay(index);
    assertThat(region.visibility.servedManifest(APP, index.digest())).isPresent();

    region.blobs.quarantine(shared.layerDigest());
    QuarantinePlanner.Plan plan = planner.plan(shared.layerDigest());
    region.state.apply(new StateBatch(plan.writes()));

    assertThat(plan.pending()).extracting(m -> m.repository() + "@" + m.digest()).containsExactlyInAnyOrder(
        APP + "@" + shared.digest(), MIRROR + "@" + shared.digest(), APP + "@" + index.digest());
    assertThat(region.visibility.servedManifest(APP, shared.digest())).isEmpty();
    assertThat(region.visibility.servedManifest(MIRROR, shared.digest())).isEmpty();
    assertThat(region.visibility.servedManifest(APP, index.digest())).as("an index over it").isEmpty();
    assertThat(region.visibility.servedManifest(APP, other.digest())).as("an image not relying on it").isPresent();
    assertThat(region.state.findTransfer(APP, shared.digest(), TransferJob.Kind.MANIFEST))
        .hasValueSatisfying(job -> assertThat(job.origin()).isEqualTo(EAST));
  }

  @Test
  void aManifestPendingAlreadyOrDeletedGetsNoNewJob() {
    RepairImages image = RepairImages.image("a");
    image.storeIn(region.blobs);
    region.replay(image.put(EAST, 10, APP));
    region.replay(image.put(EAST, 11, MIRROR));
    region.replay(new ManifestDelete("d", EAST, new HlcTimestamp(12, 0), MIRROR, image.digest()));
    region.blobs.quarantine(image.layerDigest());
    region.state.apply(new StateBatch(planner.plan(image.layerDigest()).writes()));

    QuarantinePlanner.Plan again = planner.plan(image.layerDigest());

    assertThat(again.writes()).isEmpty();
    assertThat(region.state.findTransfer(MIRROR, image.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
  }

  @Test
  void aLostManifestItselfMakesItPending() {
    RepairImages image = RepairImages.image("b");
    image.storeIn(region.blobs);
    region.replay(image.put(EAST, 10, APP));

    region.blobs.quarantine(image.digest());

    assertThat(planner.plan(image.digest()).pending()).extracting(ManifestRecord::digest).containsExactly(image.digest());
  }
}
