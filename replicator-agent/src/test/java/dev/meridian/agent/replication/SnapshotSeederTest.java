package dev.meridian.agent.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.agent.registry.Locks;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeding from a peer's exported snapshot, between two real RocksDB stores. */
class SnapshotSeederTest {
  private static final RegionId PEER = new RegionId("eastus");
  private static final RegionId JOINER = new RegionId("westeu");
  private static final RepositoryName REPO = new RepositoryName("team/app");
  private static final LogPosition P0 = new LogPosition("meridian.events", 0);
  private static final LogPosition P3 = new LogPosition("meridian.events", 3);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private RocksDbRegistryState peer;
  private RocksDbRegistryState joiner;
  private FileSystemBlobStore blobs;
  private Hlc hlc;

  @BeforeEach
  void open() {
    peer = RocksDbRegistryState.open(dir.resolve("peer"));
    joiner = RocksDbRegistryState.open(dir.resolve("joiner"));
    blobs = new FileSystemBlobStore(dir.resolve("joiner-blobs"));
    hlc = new Hlc(CLOCK);
  }

  @AfterEach
  void close() {
    peer.close();
    joiner.close();
    blobs.close();
  }

  private static Digest digest(String text) {
    return Digest.sha256Of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Stamp stamp(long millis, RegionId origin) {
    return new Stamp(new HlcTimestamp(millis, 0), origin);
  }

  private static ManifestRecord image(String name, long layerSize, Stamp stamp) {
    return new ManifestRecord(REPO, digest(name), MediaType.OCI_MANIFEST, 400,
        List.of(Descriptor.of(MediaType.OCI_CONFIG, digest(name + "-config"), 100),
            Descriptor.of(MediaType.OCTET_STREAM, digest("shared-layer"), layerSize)),
        Optional.empty(), Optional.empty(), Map.of(), true, stamp);
  }

  private SnapshotSeeder seeder() {
    ReplicaAcks acks = new ReplicaAcks(JOINER, hlc, () -> UUID.randomUUID().toString(), new EventCodec());
    return new SnapshotSeeder(joiner, blobs, view -> new ReplayPlanner(JOINER, view, blobs, acks, CLOCK), hlc, new ContentGuard());
  }

  private byte[] exported() throws IOException {
    try (BlobContent content = new SnapshotExport(PEER, peer, dir.resolve("snapshots")).get();
        InputStream in = content.openStream(0, content.info().size())) {
      return in.readAllBytes();
    }
  }

  private Seeding seeding() {
    Seeding seeding = Seeding.decide(joiner, SeedFrom.AUTO, true, CLOCK);
    assertThat(seeding.phase()).isEqualTo(Seeding.Phase.SEEDING);
    seeding.begin(0);
    return seeding;
  }

  private void fillPeer() {
    ManifestRecord v1 = image("v1", 5_000, stamp(10, PEER));
    ManifestRecord v2 = image("v2", 5_000, stamp(11, JOINER)); // an earlier life of the joining region wrote it
    peer.apply(StateBatch.builder()
        .putManifest(v1).putManifest(v2)
        .putTag(new TagRecord(REPO, new Tag("v1"), Optional.of(v1.digest()), stamp(12, PEER)))
        .putTag(new TagRecord(REPO, new Tag("old"), Optional.empty(), stamp(CLOCK.millis() + 60_000, PEER))) // a fast clock
        .putBlobLink(new BlobLinkRecord(REPO, digest("shared-layer"), true, stamp(9, PEER)))
        .add(new StateWrite.PutReplica(REPO, v1.digest(), new RegionId("asia")))
        .putConsumerOffset(P0, 29)
        .putConsumerOffset(P3, 4)
        .build());
  }

  @Test
  void aSeededRegionEnforcesTheLocksSetBeforeItJoined() throws IOException {
    fillPeer();
    LockRecord repositoryLock = new LockRecord(REPO, Optional.empty(), false, true, stamp(13, PEER));
    LockRecord tagLock = new LockRecord(REPO, Optional.of(Reference.parse("v1")), true, false, stamp(14, PEER));
    peer.apply(StateBatch.of(new StateWrite.PutLock(repositoryLock), new StateWrite.PutLock(tagLock)));
    Locks before = new Locks(joiner);
    assertThat(before.writeEnabled(REPO, Optional.empty())).as("not seeded yet").isTrue();

    SnapshotSeeder.Outcome outcome = seeder().merge(new ByteArrayInputStream(exported()), seeding());

    assertThat(outcome.registers()).isEqualTo(8); // the 6 registers of fillPeer, and the 2 locks
    assertThat(joiner.findLock(REPO, Optional.empty())).contains(repositoryLock);
    assertThat(joiner.findLock(REPO, Optional.of(Reference.parse("v1")))).contains(tagLock);
    Locks locks = new Locks(joiner); // the rules RegistryService checks every push and delete against
    assertThat(locks.writeEnabled(REPO, Optional.empty())).isFalse();
    assertThat(locks.deleteLocked(REPO, digest("v1"), List.of(new Tag("v1")))).isTrue();
    assertThat(locks.deleteLocked(REPO, digest("v2"), List.of())).isFalse();
  }

  @Test
  void theJoiningRegionHoldsThePeersRegistersPendingTheirContentAndResumesTheLogWhereThePeerWas() throws IOException {
    fillPeer();
    Seeding seeding = seeding();
    // Replay had got further in one partition (say, a seed resumed after a restart).
    joiner.apply(StateBatch.of(new StateWrite.PutConsumerOffset(P3, 7)));

    SnapshotSeeder.Outcome outcome = seeder().merge(new ByteArrayInputStream(exported()), seeding);

    assertThat(outcome.registers()).isEqualTo(6); // 2 manifests, 2 tags, 1 link, 1 replica
    assertThat(joiner.findTag(REPO, new Tag("v1"))).isEqualTo(peer.findTag(REPO, new Tag("v1")));
    assertThat(joiner.findTag(REPO, new Tag("old"))).as("a tombstone stays one").isEqualTo(peer.findTag(REPO, new Tag("old")));
    assertThat(joiner.findManifest(REPO, digest("v2"))).as("its own earlier write").isEqualTo(peer.findManifest(REPO, digest("v2")));
    assertThat(joiner.findBlobLink(REPO, digest("shared-layer"))).isEqualTo(peer.findBlobLink(REPO, digest("shared-layer")));
    assertThat(joiner.findTransfer(REPO, digest("v1"), TransferJob.Kind.MANIFEST)).as("content missing here").isPresent();
    assertThat(joiner.findTransfer(REPO, digest("v2"), TransferJob.Kind.MANIFEST)).isPresent();
    assertThat(joiner.findTransfer(REPO, digest("shared-layer"), TransferJob.Kind.BLOB)).as("no prefetch job").isEmpty();
    assertThat(joiner.findReplicas(REPO, digest("v1"))).containsExactlyInAnyOrder(PEER, new RegionId("asia"));
    assertThat(joiner.consumerOffsets()).isEqualTo(Map.of(P0, 29L, P3, 7L));
    assertThat(hlc.current().physicalMillis()).as("the clock moved up to every stamp").isEqualTo(CLOCK.millis() + 60_000);

    assertThat(seeding.phase()).isEqualTo(Seeding.Phase.CATCHING_UP);
    // Two manifests of 400 bytes, two configs of 100, one shared layer counted once.
    assertThat(seeding.observe(2, 0, OptionalLong.empty()).orElseThrow())
        .isEqualTo(new CreationProgress(false, 2, 400 + 400 + 100 + 100 + 5_000, OptionalLong.empty()));
    assertThat(seeding.observe(0, 6_000, OptionalLong.of(0))).as("caught up").isEmpty();
    assertThat(Seeding.decide(joiner, SeedFrom.AUTO, true, CLOCK).phase()).as("after a restart").isEqualTo(Seeding.Phase.NONE);
  }

  @Test
  void aSnapshotCutShortStoresNoOffsetsAndIsMergedAgainWholeAfterARestart() throws IOException {
    fillPeer();
    byte[] whole = exported();
    String text = new String(whole, StandardCharsets.UTF_8);
    byte[] cut = Arrays.copyOf(whole, text.lastIndexOf("{\"end\""));

    assertThatThrownBy(() -> seeder().merge(new ByteArrayInputStream(cut), seeding()))
        .isInstanceOf(SnapshotSeeder.SnapshotException.class).hasMessageContaining("without its last line");
    assertThat(joiner.consumerOffsets()).isEmpty();
    assertThat(Seeding.decide(joiner, SeedFrom.AUTO, true, CLOCK).phase()).as("seeding resumes").isEqualTo(Seeding.Phase.SEEDING);

    Seeding again = Seeding.decide(joiner, SeedFrom.AUTO, true, CLOCK);
    again.begin(0);
    seeder().merge(new ByteArrayInputStream(whole), again);
    assertThat(joiner.consumerOffsets()).isEqualTo(Map.of(P0, 29L, P3, 4L));
  }

  @Test
  void aSnapshotWhoseCountDisagreesIsRefused() throws IOException {
    fillPeer();
    String text = new String(exported(), StandardCharsets.UTF_8).replaceAll("\"records\":\\d+", "\"records\":99");
    assertThatThrownBy(() -> seeder().merge(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), seeding()))
        .isInstanceOf(SnapshotSeeder.SnapshotException.class).hasMessageContaining("announced 99");
    assertThat(joiner.consumerOffsets()).isEmpty();
  }

  @Test
  void aSnapshotLeavesNoFileBehindAndOneACrashLeftIsDeletedAtTheNextStart() throws IOException {
    fillPeer();
    Path snapshots = dir.resolve("snapshots");
    exported();
    try (var files = java.nio.file.Files.list(snapshots)) {
      assertThat(files).isEmpty();
    }
    java.nio.file.Files.writeString(snapshots.resolve("snapshot-123.jsonl"), "{}");
    new SnapshotExport(PEER, peer, snapshots);
    try (var files = java.nio.file.Files.list(snapshots)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aRegionThatAlreadyHoldsStateOrMayNotSeedDoesNot() {
    assertThat(Seeding.decide(joiner, SeedFrom.NONE, true, CLOCK).phase()).isEqualTo(Seeding.Phase.NONE);
    assertThat(Seeding.decide(joiner, SeedFrom.AUTO, false, CLOCK).phase()).as("no peer").isEqualTo(Seeding.Phase.NONE);
    joiner.apply(StateBatch.of(new StateWrite.PutConsumerOffset(P0, 1)));
    assertThat(Seeding.decide(joiner, SeedFrom.AUTO, true, CLOCK).phase()).isEqualTo(Seeding.Phase.NONE);
  }
}
