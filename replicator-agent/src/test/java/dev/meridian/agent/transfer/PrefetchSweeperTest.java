package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.ForwardingRegistryState;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.PrefetchedBlob;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefetchSweeperTest {
  private static final RepositoryName APP = new RepositoryName("app");
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final PrefetchSweeper.Settings SETTINGS = new PrefetchSweeper.Settings(Duration.ofHours(1), Duration.ofMinutes(5));

  @TempDir Path dir;
  private RocksDbRegistryState state;
  private FileSystemBlobStore blobs;
  private final ContentGuard guard = new ContentGuard();

  @BeforeEach
  void open() {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
  }

  @AfterEach
  void close() {
    state.close();
    blobs.close();
  }

  private Digest prefetched(String content, Instant fetchedAt) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256Of(bytes);
    blobs.put(digest, new ByteArrayInputStream(bytes));
    state.apply(StateBatch.of(new StateWrite.PutPrefetched(new PrefetchedBlob(APP, digest, fetchedAt))));
    return digest;
  }

  private void manifestReferencing(RepositoryName repository, Digest layer, boolean present) {
    Digest manifest = Digest.sha256Of(("manifest of " + layer + repository).getBytes(StandardCharsets.UTF_8));
    state.apply(StateBatch.of(new StateWrite.PutManifest(new ManifestRecord(repository, manifest, MediaType.OCI_MANIFEST, 100,
        List.of(Descriptor.of(MediaType.OCTET_STREAM, layer, 5)), Optional.empty(), Optional.empty(), Map.of(), present,
        new Stamp(new HlcTimestamp(1, 0), new RegionId("eastus"))))));
  }

  @Test
  void aPrefetchedBlobNoManifestClaimedIsReclaimedAfterTheGracePeriod() {
    Digest orphan = prefetched("orphan layer", NOW.minus(Duration.ofHours(2)));

    PrefetchSweeper.Sweep sweep = new PrefetchSweeper(state, blobs, guard, SETTINGS, CLOCK).sweep();

    assertThat(sweep.reclaimed()).isEqualTo(1);
    assertThat(sweep.reclaimedBytes()).isEqualTo("orphan layer".length());
    assertThat(blobs.stat(orphan)).isEmpty();
    assertThat(state.listPrefetched(10)).isEmpty();
  }

  @Test
  void aPrefetchedBlobWithinTheGracePeriodIsLeftAlone() {
    Digest young = prefetched("young layer", NOW.minus(Duration.ofMinutes(10)));

    new PrefetchSweeper(state, blobs, guard, SETTINGS, CLOCK).sweep();

    assertThat(blobs.stat(young)).isPresent();
    assertThat(state.listPrefetched(10)).extracting(PrefetchedBlob::digest).containsExactly(young);
  }

  @Test
  void aBlobReferencedByAManifestOfAnyRepositoryIsKeptAndNoLongerACandidate() {
    Digest used = prefetched("used elsewhere", NOW.minus(Duration.ofHours(2)));
    manifestReferencing(new RepositoryName("other/repo"), used, true);

    PrefetchSweeper.Sweep sweep = new PrefetchSweeper(state, blobs, guard, SETTINGS, CLOCK).sweep();

    assertThat(sweep.claimed()).isEqualTo(1);
    assertThat(blobs.stat(used)).isPresent();
    assertThat(state.listPrefetched(10)).isEmpty();
  }

  @Test
  void aDeletedManifestDoesNotClaimItsBlobs() {
    Digest layer = prefetched("layer of a deleted manifest", NOW.minus(Duration.ofHours(2)));
    manifestReferencing(APP, layer, false);

    new PrefetchSweeper(state, blobs, guard, SETTINGS, CLOCK).sweep();

    assertThat(blobs.stat(layer)).isEmpty();
  }

  @Test
  void aManifestCommittedWhileTheSweepScansClaimsItsBlob() {
    Digest layer = prefetched("claimed mid-sweep", NOW.minus(Duration.ofHours(2)));
    // A push commits a manifest using the blob after the scan passed its key: only the claim protects it.
    var racing = new ForwardingRegistryState(state) {
      @Override
      public void forEachManifest(Consumer<ManifestRecord> visitor) {
        super.forEachManifest(visitor);
        guard.claiming(List.of(layer), () -> {
          manifestReferencing(APP, layer, true);
          return null;
        });
      }
    };

    PrefetchSweeper.Sweep sweep = new PrefetchSweeper(racing, blobs, guard, SETTINGS, CLOCK).sweep();

    assertThat(sweep.reclaimed()).isZero();
    assertThat(blobs.stat(layer)).isPresent();
  }
}
