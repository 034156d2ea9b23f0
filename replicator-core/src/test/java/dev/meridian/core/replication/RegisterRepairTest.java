package dev.meridian.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.RegisterDigest;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer's registers merged here as replay would have merged the events that wrote them. */
class RegisterRepairTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeu");
  private static final RepositoryName APP = new RepositoryName("team-a/app");
  private static final Tag V1 = new Tag("v1");

  private final ReplicaFixture east = new ReplicaFixture(EAST);
  private final ReplicaFixture west = new ReplicaFixture(WEST);
  private final RegisterRepair westRepair = new RegisterRepair(west.state,
      view -> new ReplayPlanner(WEST, view, west.blobs, west.acks, ReplicaFixture.FIXED), new Hlc(ReplicaFixture.FIXED),
      new ContentGuard());

  @AfterEach
  void close() {
    east.close();
    west.close();
  }

  private List<ReplicationEvent> eastRegisters() {
    return new RegisterEvents(new dev.meridian.core.clock.RegionId("eastus"))
        .of(east.state.repositoryRegisters(APP));
  }

  /** East pushed an image and tagged it, and its events never left: its own registers, written locally. */
  private RepairImages pushedInEastOnly() {
    RepairImages image = RepairImages.image("lost");
    image.storeIn(east.blobs);
    var put = image.put(EAST, 100, APP);
    east.state.apply(StateBatch.builder()
        .putManifest(new dev.meridian.core.state.ManifestRecord(APP, image.digest(), put.mediaType(), put.size(),
            put.references(), Optional.empty(), Optional.empty(), java.util.Map.of(), true, put.stamp()))
        .putBlobLink(new BlobLinkRecord(APP, image.layerDigest(), true, new Stamp(new HlcTimestamp(99, 0), EAST)))
        .putTag(new TagRecord(APP, V1, Optional.of(image.digest()), new Stamp(new HlcTimestamp(101, 0), EAST)))
        .build());
    return image;
  }

  @Test
  void aRegionMissingAPeersRegistersGetsThemWithTransferJobsForTheContent() {
    RepairImages image = pushedInEastOnly();

    RegisterRepair.Outcome outcome = westRepair.merge(eastRegisters());

    assertThat(outcome.tags()).isEqualTo(1);
    assertThat(outcome.manifests()).isEqualTo(1);
    assertThat(outcome.blobLinks()).isEqualTo(1);
    assertThat(outcome.transfersPlanned()).isTrue();
    assertThat(RegisterDigest.of(west.state.repositoryRegisters(APP))).isEqualTo(RegisterDigest.of(east.state.repositoryRegisters(APP)));
    // complete-before-visible: the content is not here yet, so nothing new is served
    assertThat(west.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST))
        .hasValueSatisfying(job -> assertThat(job.origin()).isEqualTo(EAST));
    assertThat(west.visibility.servedDigest(APP, V1)).isEmpty();
  }

  @Test
  void aLockThatNeverReachedARegionIsRepairedAndAnOlderOneChangesNothing() {
    pushedInEastOnly();
    westRepair.merge(eastRegisters());
    Optional<Reference> tagV1 = Optional.of(Reference.parse("v1"));
    LockRecord locked = new LockRecord(APP, tagV1, false, false, new Stamp(new HlcTimestamp(200, 0), EAST));
    east.state.apply(new StateBatch(List.of(new StateWrite.PutLock(locked))));
    String before = RegisterDigest.of(west.state.repositoryRegisters(APP));
    assertThat(RegisterDigest.of(east.state.repositoryRegisters(APP))).as("a lock is part of the digest").isNotEqualTo(before);

    RegisterRepair.Outcome outcome = westRepair.merge(eastRegisters());

    assertThat(outcome.locks()).isEqualTo(1);
    assertThat(outcome.repaired()).isEqualTo(1);
    assertThat(west.state.findLock(APP, tagV1)).contains(locked);
    assertThat(RegisterDigest.of(west.state.repositoryRegisters(APP))).isEqualTo(RegisterDigest.of(east.state.repositoryRegisters(APP)));

    // West unlocks later; east's older lock, offered again, is not a repair.
    LockRecord unlocked = new LockRecord(APP, tagV1, true, true, new Stamp(new HlcTimestamp(300, 0), WEST));
    west.state.apply(new StateBatch(List.of(new StateWrite.PutLock(unlocked))));
    assertThat(westRepair.merge(eastRegisters()).locks()).isZero();
    assertThat(west.state.findLock(APP, tagV1)).contains(unlocked);
  }

  @Test
  void mergingAgainOrInAnotherOrderRepairsNothingMore() {
    pushedInEastOnly();
    westRepair.merge(eastRegisters());
    String merged = RegisterDigest.of(west.state.repositoryRegisters(APP));
    List<ReplicationEvent> shuffled = new ArrayList<>(eastRegisters());
    Collections.shuffle(shuffled, new Random(7));

    RegisterRepair.Outcome again = westRepair.merge(shuffled);

    assertThat(again.repaired()).isZero();
    assertThat(RegisterDigest.of(west.state.repositoryRegisters(APP))).isEqualTo(merged);
  }

  @Test
  void aNewerRegisterHereIsKeptAndAPeersContentAlreadyHereIsServedAtOnce() {
    RepairImages image = pushedInEastOnly();
    image.storeIn(west.blobs);
    RepairImages newer = RepairImages.image("newer");
    newer.storeIn(west.blobs);
    west.replay(newer.put(WEST, 200, APP));
    TagRecord westTag = new TagRecord(APP, V1, Optional.of(newer.digest()), new Stamp(new HlcTimestamp(300, 0), WEST));
    west.state.apply(StateBatch.builder().putTag(westTag).build());

    RegisterRepair.Outcome outcome = westRepair.merge(eastRegisters());

    assertThat(outcome.tags()).as("east's older tag loses").isZero();
    assertThat(west.state.findTag(APP, V1)).contains(westTag);
    assertThat(west.visibility.servedManifest(APP, image.digest())).as("content all here: served at once").isPresent();
    assertThat(outcome.outboxAppended()).as("and acknowledged to the fleet").isTrue();
  }

  @Test
  void theOriginLearnsNothingFromItsOwnRegisters() {
    pushedInEastOnly();
    west.state.apply(StateBatch.builder().putTag(new TagRecord(APP, new Tag("other"), Optional.empty(),
        new Stamp(new HlcTimestamp(50, 0), WEST))).build());
    RegisterRepair eastRepair = new RegisterRepair(east.state,
        view -> new ReplayPlanner(EAST, view, east.blobs, east.acks, ReplicaFixture.FIXED), new Hlc(ReplicaFixture.FIXED),
        new ContentGuard());
    List<ReplicationEvent> own = List.of(new TagPut("t", EAST, new HlcTimestamp(500, 0), APP, V1, RepairImages.image("x").digest()));

    assertThat(eastRepair.merge(own).repaired()).isZero();
  }
}
