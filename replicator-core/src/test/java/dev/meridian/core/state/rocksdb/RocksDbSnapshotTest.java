package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.batch;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.link;
import static dev.meridian.core.state.StateFixtures.manifest;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static dev.meridian.core.state.StateFixtures.tagDeleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterSnapshots;
import dev.meridian.core.state.StateFixtures;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbSnapshotTest {
  private static final LogPosition P0 = new LogPosition("meridian.events", 0);
  @TempDir Path dir;
  private RocksDbRegistryState state;

  @BeforeEach
  void open() {
    state = RocksDbRegistryState.open(dir.resolve("state"));
  }

  @AfterEach
  void close() {
    state.close();
  }

  @Test
  void aSnapshotHoldsTheOffsetsAndEveryRegisterAndReplica() {
    ManifestRecord m = manifest("team/app", digest(1), stamp(10, EAST));
    TagRecord v1 = tag("team/app", "v1", digest(1), stamp(11, EAST));
    TagRecord gone = tagDeleted("team/app", "old", stamp(12, WEST));
    BlobLinkRecord l = link("team/app", digest(9002), true, stamp(9, EAST));
    state.apply(batch(m, v1, gone, l, new StateWrite.PutConsumerOffset(P0, 17),
        new StateWrite.PutReplica(repo("team/app"), digest(1), WEST)));

    Collected seen = new Collected();
    state.readSnapshot(seen);

    assertThat(seen.offsets).containsExactly(Map.of(P0, 17L));
    assertThat(seen.manifests).containsExactly(m);
    assertThat(seen.tags).containsExactlyInAnyOrder(v1, gone);
    assertThat(seen.links).containsExactly(l);
    assertThat(seen.replicas).containsExactly("team/app " + digest(1) + " " + WEST);
  }

  @Test
  void eachRegisterOfASnapshotComesUnderItsOwnRepositoryWhenNamesBeginWithAnother() {
    // Key order "app", "app-x", "app/x": a snapshot reads a repository's name once for a run of its keys.
    List<ManifestRecord> manifests = List.of(manifest("app", digest(1), stamp(10, EAST)),
        manifest("app-x", digest(1), stamp(11, EAST)), manifest("app/x", digest(2), stamp(12, WEST)));
    List<TagRecord> tags = List.of(tag("app", "v1", digest(1), stamp(13, EAST)), tag("app-x", "v1", digest(1), stamp(14, EAST)),
        tag("app/x", "v1", digest(2), stamp(15, WEST)), tag("app/x", "v2", digest(2), stamp(16, WEST)));
    List<BlobLinkRecord> links = List.of(link("app", digest(9002), true, stamp(17, EAST)),
        link("app-x", digest(9002), false, stamp(18, EAST)), link("app/x", digest(9001), true, stamp(19, WEST)));
    List<Object> all = new ArrayList<>(manifests);
    all.addAll(tags);
    all.addAll(links);
    state.apply(batch(all.toArray()));

    Collected seen = new Collected();
    state.readSnapshot(seen);

    assertThat(seen.manifests).containsExactlyInAnyOrderElementsOf(manifests);
    assertThat(seen.tags).containsExactlyInAnyOrderElementsOf(tags);
    assertThat(seen.links).containsExactlyInAnyOrderElementsOf(links);
  }

  @Test
  void readingASnapshotLeavesTheBlockCacheAsItWas() throws Exception {
    // A new region seeding from this one reads every register once: the blocks requests read must stay cached.
    List<Object> registers = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      registers.add(manifest("app/r" + i, digest(i), stamp(10, EAST)));
      registers.add(tag("app/r" + i, "v1", digest(i), stamp(11, EAST)));
    }
    state.apply(batch(registers.toArray()));
    state.rocks().run(() -> {
      try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
        for (Family family : Family.values()) state.rocks().db().flush(flush, state.rocks().handle(family));
      }
      return null;
    });
    state.close();
    state = RocksDbRegistryState.open(dir.resolve("state"));
    long before = blockCacheUsage();

    Collected seen = new Collected();
    state.readSnapshot(seen);

    assertThat(seen.manifests).hasSize(5_000);
    assertThat(seen.tags).hasSize(5_000);
    assertThat(blockCacheUsage() - before).as("bytes the snapshot read left in the block cache").isLessThan(64 * 1024);
  }

  private long blockCacheUsage() {
    // One cache serves every family: any family's handle reports the whole cache.
    return state.rocks().run(() -> state.rocks().db().getLongProperty(state.rocks().handle(Family.MANIFESTS),
        "rocksdb.block-cache-usage"));
  }

  @Test
  void aSnapshotHoldsEveryLockRegisterOfRepositoriesTagsAndManifests() {
    LockRecord repositoryLock = new LockRecord(repo("team/app"), Optional.empty(), false, true, stamp(20, EAST));
    LockRecord tagLock = new LockRecord(repo("team/app"), Optional.of(Reference.parse("v1")), true, false, stamp(21, WEST));
    LockRecord manifestLock = new LockRecord(repo("team/other"), Optional.of(Reference.parse(digest(1).toString())), true, false,
        stamp(22, EAST));
    state.apply(batch(new StateWrite.PutLock(repositoryLock), new StateWrite.PutLock(tagLock), new StateWrite.PutLock(manifestLock)));

    Collected seen = new Collected();
    state.readSnapshot(seen);

    assertThat(seen.locks).containsExactlyInAnyOrder(repositoryLock, tagLock, manifestLock);
    assertThat(state.repositoryRegisters(repo("team/app")).locks()).containsExactlyInAnyOrder(repositoryLock, tagLock);
    assertThat(state.repositoryRegisters(repo("team/other")).locks()).containsExactly(manifestLock);
  }

  @Test
  void writesCommittedWhileASnapshotIsReadAreNotInIt() {
    state.apply(batch(tag("team/app", "v1", digest(1), stamp(10, EAST)), new StateWrite.PutConsumerOffset(P0, 5)));
    Collected seen = new Collected() {
      @Override
      public void offsets(Map<LogPosition, Long> offsets) {
        super.offsets(offsets);
        // Replay goes on meanwhile: a later event moves the tag and the offset in one batch.
        state.apply(batch(StateFixtures.tag("team/app", "v1", digest(2), stamp(20, WEST)),
            StateFixtures.tag("team/app", "v2", digest(2), stamp(20, WEST)),
            new StateWrite.PutConsumerOffset(P0, 6)));
      }
    };
    state.readSnapshot(seen);

    assertThat(seen.offsets).containsExactly(Map.of(P0, 5L));
    assertThat(seen.tags).containsExactly(tag("team/app", "v1", digest(1), stamp(10, EAST)));
    assertThat(state.findTag(repo("team/app"), new dev.meridian.core.oci.Tag("v2"))).isPresent();
  }

  private static class Collected implements RegisterSnapshots.Visitor {
    final List<Map<LogPosition, Long>> offsets = new ArrayList<>();
    final List<ManifestRecord> manifests = new ArrayList<>();
    final List<TagRecord> tags = new ArrayList<>();
    final List<BlobLinkRecord> links = new ArrayList<>();
    final List<String> replicas = new ArrayList<>();
    final List<LockRecord> locks = new ArrayList<>();

    @Override
    public void lock(LockRecord lock) {
      locks.add(lock);
    }

    @Override
    public void offsets(Map<LogPosition, Long> offsets) {
      this.offsets.add(offsets);
    }

    @Override
    public void manifest(ManifestRecord manifest) {
      manifests.add(manifest);
    }

    @Override
    public void tag(TagRecord tag) {
      tags.add(tag);
    }

    @Override
    public void blobLink(BlobLinkRecord link) {
      links.add(link);
    }

    @Override
    public void replica(RepositoryName repository, Digest digest, RegionId region) {
      replicas.add(repository + " " + digest + " " + region);
    }
  }
}
