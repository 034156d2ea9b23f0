package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.LockPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.LocalChangeEvents;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock register: its event on the wire, its merge in RocksDB in either order, its replay. */
class LockRegisterTest {
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeu");

  @TempDir Path dir;

  @Test
  void aLockEventSurvivesTheWireForARepositoryATagAndAManifest() {
    EventCodec codec = new EventCodec();
    for (Optional<Reference> reference : List.of(Optional.<Reference>empty(), Optional.of(Reference.parse("v1")),
        Optional.of(Reference.parse("sha256:" + "a".repeat(64))))) {
      LockPut event = new LockPut("id-1", EAST, new HlcTimestamp(1000, 2), APP, reference, false, true);
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }
  }

  @Test
  void concurrentLockAndUnlockEndTheSameInEitherOrder() {
    LockRecord lock = new LockRecord(APP, Optional.of(Reference.parse("v1")), false, false, new Stamp(new HlcTimestamp(5, 0), EAST));
    LockRecord unlock = new LockRecord(APP, Optional.of(Reference.parse("v1")), true, true, new Stamp(new HlcTimestamp(5, 0), WEST));
    try (var first = RocksDbRegistryState.open(dir.resolve("one")); var second = RocksDbRegistryState.open(dir.resolve("two"))) {
      first.apply(StateBatch.of(new StateWrite.PutLock(lock)));
      first.apply(StateBatch.of(new StateWrite.PutLock(unlock)));
      second.apply(StateBatch.of(new StateWrite.PutLock(unlock)));
      second.apply(StateBatch.of(new StateWrite.PutLock(lock)));
      // Equal HLC: the higher region id (westeu) wins everywhere.
      assertThat(first.findLock(APP, Optional.of(Reference.parse("v1")))).contains(unlock);
      assertThat(second.findLock(APP, Optional.of(Reference.parse("v1")))).contains(unlock);
      assertThat(first.findLock(APP, Optional.empty())).isEmpty();
    }
  }

  @Test
  void aLocalLockBecomesAnEventAndAReplayedOneBecomesTheRegister() {
    LockRecord lock = new LockRecord(APP, Optional.empty(), false, true, new Stamp(new HlcTimestamp(7, 1), EAST));
    List<ReplicationEvent> events = new LocalChangeEvents(EAST, () -> "id-7", d -> 0L).of(StateBatch.of(new StateWrite.PutLock(lock)));
    assertThat(events).containsExactly(new LockPut("id-7", EAST, new HlcTimestamp(7, 1), APP, Optional.empty(), false, true));
    try (var west = RocksDbRegistryState.open(dir.resolve("west")); var blobs = new FileSystemBlobStore(dir.resolve("blobs"))) {
      ReplayPlanner planner = new ReplayPlanner(WEST, west, blobs, new ReplicaAcks(WEST, new dev.meridian.core.clock.Hlc(Clock.systemUTC()), () -> "ack", new EventCodec()), Clock.systemUTC());
      west.apply(new StateBatch(planner.plan(events.get(0))));
      assertThat(west.findLock(APP, Optional.empty())).contains(lock);
    }
  }
}
