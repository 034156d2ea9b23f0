package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soft delete in one region: restore within the period, content kept by garbage collection until it ends. */
class SoftDeleteTest {
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final GarbageCollector.Settings HOUR = new GarbageCollector.Settings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));

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

  private void upload(byte[] content) {
    fixture.upload(APP, content);
  }

  private byte[] layer;

  private Digest pushAndDelete() {
    byte[] config = randomBytes(1, 200);
    layer = randomBytes(2, 4000);
    upload(config);
    upload(layer);
    Digest image = service.putManifest(APP, Reference.parse("v1"), MediaType.OCI_MANIFEST, manifest(config, List.of(layer))).digest();
    service.deleteManifest(APP, Reference.parse(image.toString()));
    return image;
  }

  private GarbageCollector gc(Duration softDelete, Clock clock) {
    return new GarbageCollector(state, blobs, guard, service::expireUpload, HOUR,
        m -> !softDelete.isZero() && m.deletedSince(clock.instant().minus(softDelete)), clock, GcListener.NONE);
  }

  @Test
  void aDeletedManifestIsRestoredUnderATagWithinThePeriodAndServedAgain() {
    Digest image = pushAndDelete();
    assertThat(service.listRestorable(APP, WEEK)).extracting(m -> m.digest()).containsExactly(image);

    service.restoreManifest(APP, image, Optional.of(new Tag("back")), WEEK);

    assertThat(service.getManifest(APP, Reference.parse("back"), true).record().digest()).isEqualTo(image);
    assertThat(service.getManifest(APP, Reference.parse(image.toString()), true).bytes()).isNotEmpty();
    assertThat(service.listRestorable(APP, WEEK)).isEmpty();
  }

  @Test
  void restorableManifestsAreListedPerRepositoryNotThoseOfRepositoriesSharingItsNamesStart() {
    Digest image = pushAndDelete();
    for (RepositoryName other : List.of(new RepositoryName("team/app-old"), new RepositoryName("team/app/sub"))) {
      byte[] config = randomBytes(3, 200);
      fixture.upload(other, config);
      fixture.upload(other, layer);
      Digest elsewhere = service.putManifest(other, Reference.parse("v1"), MediaType.OCI_MANIFEST,
          manifest(config, List.of(layer))).digest();
      service.deleteManifest(other, Reference.parse(elsewhere.toString()));
      assertThat(service.listRestorable(other, WEEK)).extracting(m -> m.digest()).containsExactly(elsewhere);
    }

    assertThat(service.listRestorable(APP, WEEK)).extracting(m -> m.digest()).containsExactly(image);
  }

  @Test
  void garbageCollectionKeepsTheContentOfARestorableManifestAndCollectsItOnceThePeriodEnds() {
    Digest image = pushAndDelete();
    Clock twoHoursLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));

    assertThat(gc(WEEK, twoHoursLater).collect(false).blobsDeleted()).isZero();
    service.restoreManifest(APP, image, Optional.empty(), WEEK);
    service.deleteManifest(APP, Reference.parse(image.toString()));

    Clock eightDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(8));
    assertThat(gc(WEEK, eightDaysLater).collect(false).blobs()).contains(image, digest(layer));
    assertThatThrownBy(() -> service.restoreManifest(APP, image, Optional.empty(), WEEK))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
  }

  @Test
  void withSoftDeleteOffOrForAManifestNeverDeletedRestoreIsRefused() {
    Digest image = pushAndDelete();

    assertThatThrownBy(() -> service.restoreManifest(APP, image, Optional.empty(), Duration.ZERO))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    Digest unknown = digest(randomBytes(9, 10));
    assertThatThrownBy(() -> service.restoreManifest(APP, unknown, Optional.empty(), WEEK))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
  }
}
