package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.agent.transfer.BlobFetcher;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final GarbageCollector.Settings HOUR = new GarbageCollector.Settings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
  private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));

  @TempDir Path dir;
  private LifecycleFixture fixture;
  private RocksDbRegistryState state;
  private FileSystemBlobStore blobs;
  private ContentGuard guard;
  private RegistryService service;

  @BeforeEach
  void open() {
    fixture = new LifecycleFixture(dir);
    state = fixture.state;
    blobs = fixture.blobs;
    guard = fixture.guard;
    service = fixture.service;
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private GarbageCollector gc(GarbageCollector.Settings settings, Clock clock) {
    return new GarbageCollector(state, blobs, guard, service::expireUpload, settings, m -> false, clock, GcListener.NONE);
  }

  private Digest upload(RepositoryName repository, byte[] content) {
    return fixture.upload(repository, content);
  }

  /** Pushes config, layers and the manifest; returns the manifest's digest. */
  private Digest push(RepositoryName repository, byte[] config, List<byte[]> layers) {
    upload(repository, config);
    layers.forEach(l -> upload(repository, l));
    byte[] body = manifest(config, layers);
    return service.putManifest(repository, Reference.parse("v1"), MediaType.OCI_MANIFEST, body).digest();
  }

  private void age(Digest blob, Duration by) throws Exception {
    Files.setLastModifiedTime(blobs.paths().blob(blob), FileTime.from(Instant.now().minus(by)));
  }

  @Test
  void theContentOfADeletedManifestIsDeletedOncePastTheGracePeriodAndItsBytesCounted() {
    byte[] config = randomBytes(1, 300);
    byte[] layer = randomBytes(2, 5000);
    Digest image = push(APP, config, List.of(layer));
    service.deleteManifest(APP, Reference.parse(image.toString()));

    GcReport report = gc(HOUR, LATER).collect(false);

    assertThat(report.blobsDeleted()).isEqualTo(3);
    assertThat(report.blobs()).containsExactlyInAnyOrder(image, digest(config), digest(layer));
    assertThat(report.blobBytesReclaimed()).isEqualTo(300 + 5000 + manifest(config, List.of(layer)).length);
    assertThat(report.storedBytes()).isZero();
    assertThat(blobs.stat(digest(layer))).isEmpty();
    assertThat(blobs.stat(image)).isEmpty();
  }

  @Test
  void everythingAPresentManifestOfAnyRepositoryReferencesIsKept() {
    byte[] config = randomBytes(3, 300);
    byte[] shared = randomBytes(4, 5000);
    Digest deleted = push(APP, config, List.of(shared));
    Digest kept = push(new RepositoryName("other"), randomBytes(5, 200), List.of(shared));
    service.deleteManifest(APP, Reference.parse(deleted.toString()));

    GcReport report = gc(HOUR, LATER).collect(false);

    assertThat(report.blobs()).containsExactlyInAnyOrder(deleted, digest(config));
    assertThat(blobs.stat(digest(shared))).isPresent();
    assertThat(blobs.stat(kept)).isPresent();
    assertThat(service.getManifest(new RepositoryName("other"), Reference.parse(kept.toString()), true).bytes()).isNotEmpty();
  }

  @Test
  void aBlobUploadedWithinTheGracePeriodIsKeptThoughNoManifestReferencesItYet() {
    Digest fresh = upload(APP, randomBytes(6, 1000));

    assertThat(gc(HOUR, Clock.systemUTC()).collect(false).blobsDeleted()).isZero();
    assertThat(blobs.stat(fresh)).isPresent();

    assertThat(gc(HOUR, LATER).collect(false).blobs()).containsExactly(fresh);
  }

  @Test
  void anOldBlobLinkedAgainWithinTheGracePeriodIsKeptForTheManifestToCome() throws Exception {
    byte[] content = randomBytes(7, 1000);
    Digest blob = upload(APP, content);
    age(blob, Duration.ofHours(3));
    Digest orphan = upload(APP, randomBytes(8, 10));
    age(orphan, Duration.ofHours(3));
    // A mount into another repository is a fresh link, like an upload of the same bytes.
    service.mount(new RepositoryName("mounted"), blob, java.util.Optional.of(APP));

    GcReport report = gc(HOUR, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30))).collect(false);

    assertThat(blobs.stat(blob)).isPresent();
    assertThat(report.blobsDeleted()).isZero(); // the orphan's own link is fresh too
    GcReport later = gc(HOUR, LATER).collect(false);
    assertThat(later.blobs()).containsExactlyInAnyOrder(blob, orphan);
  }

  @Test
  void contentOfTransferJobsAndRecentlyPrefetchedBlobsIsKept() {
    byte[] wanted = randomBytes(9, 100);
    byte[] prefetched = randomBytes(10, 100);
    blobs.put(digest(wanted), new ByteArrayInputStream(wanted));
    blobs.put(digest(prefetched), new ByteArrayInputStream(prefetched));
    state.apply(StateBatch.of(
        new StateWrite.PutTransfer(new TransferJob(APP, digest(wanted), TransferJob.Kind.MANIFEST, new RegionId("west"), 0, Instant.now())),
        new StateWrite.PutPrefetched(new dev.meridian.core.state.PrefetchedBlob(APP, digest(prefetched), Instant.now()))));

    assertThat(gc(HOUR, Clock.systemUTC()).collect(false).blobsDeleted()).isZero();
    assertThat(blobs.stat(digest(prefetched))).isPresent();

    // Past the grace period a prefetched blob no manifest wants goes; a transfer job's content stays.
    assertThat(gc(HOUR, LATER).collect(false).blobs()).containsExactly(digest(prefetched));
    assertThat(blobs.stat(digest(wanted))).isPresent();
  }

  @Test
  void aDryRunReportsWhatItWouldDeleteAndDeletesNothing() {
    Digest image = push(APP, randomBytes(11, 300), List.of(randomBytes(12, 400)));
    service.deleteManifest(APP, Reference.parse(image.toString()));
    GarbageCollector collector = gc(HOUR, LATER);

    GcReport dry = collector.collect(true);

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.blobsDeleted()).isEqualTo(3);
    assertThat(blobs.stat(image)).isPresent();
    assertThat(collector.storage().reclaimedBytes()).isZero();
    GcReport real = collector.collect(false);
    assertThat(real.blobs()).containsExactlyInAnyOrderElementsOf(dry.blobs());
    assertThat(collector.storage().reclaimedBytes()).isEqualTo(real.blobBytesReclaimed());
  }

  @Test
  void anAbandonedUploadIsExpiredWhileAnActiveOneAndAWantedTransferSessionAreKept() throws Exception {
    UploadStatus abandoned = service.startUpload(APP);
    UploadWriter writer = service.beginWrite(APP, abandoned.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(randomBytes(13, 700)));
    service.endChunk(writer);
    Files.setLastModifiedTime(blobs.paths().uploadData(abandoned.id()), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    UploadStatus active = service.startUpload(APP);
    Digest transferred = digest(randomBytes(14, 50));
    BlobUpload transfer = blobs.startUpload(BlobFetcher.uploadIdFor(transferred));
    transfer.append(ByteBuffer.wrap(new byte[10]));
    transfer.sync();
    Files.setLastModifiedTime(blobs.paths().uploadData(transfer.id()), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    state.apply(StateBatch.of(new StateWrite.PutTransfer(
        new TransferJob(APP, transferred, TransferJob.Kind.BLOB, new RegionId("west"), 50, Instant.now()))));

    GcReport report = gc(HOUR, Clock.systemUTC()).collect(false);

    assertThat(report.uploads()).containsExactly(abandoned.id());
    assertThat(report.uploadBytesReclaimed()).isEqualTo(700);
    assertThatThrownBy(() -> service.uploadStatus(APP, abandoned.id().value())).isInstanceOf(RegistryException.class);
    assertThat(service.uploadStatus(APP, active.id().value()).offset()).isZero();
    assertThat(blobs.findUpload(transfer.id())).isPresent();
  }
}
