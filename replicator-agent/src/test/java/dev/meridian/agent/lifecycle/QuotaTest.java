package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage quotas of the registry and of a namespace, as one region admits pushes. */
class QuotaTest {
  @TempDir Path dir;
  private RocksDbRegistryState state;
  private FileSystemBlobStore blobs;
  private RegistryService service;
  private StorageUsage usage;

  private void open(QuotaPolicy policy) {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    usage = new StorageUsage(state, policy);
    service = new RegistryService(blobs, state, new Hlc(Clock.systemUTC()), new RegionId("eastus"), Clock.systemUTC(),
        new ContentGuard(), () -> true, usage::admit);
    usage.refresh();
  }

  @AfterEach
  void close() {
    if (state != null) state.close();
    if (blobs != null) blobs.close();
  }

  private void upload(RepositoryName repository, byte[] content) {
    UploadStatus started = service.startUpload(repository);
    UploadWriter writer = service.beginWrite(repository, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    service.completeUpload(writer, digest(content));
  }

  private Digest push(String repository, String tag, byte[] config, byte[] layer) {
    RepositoryName name = new RepositoryName(repository);
    upload(name, config);
    upload(name, layer);
    return service.putManifest(name, Reference.parse(tag), MediaType.OCI_MANIFEST, manifest(config, List.of(layer))).digest();
  }

  private static void assertQuotaRefused(Runnable push, String scope) {
    assertThatThrownBy(push::run).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(OciErrorCode.DENIED);
      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.getMessage()).contains("storage quota of the " + scope + " exceeded");
    });
  }

  @Test
  void aPushBeyondTheRegistryQuotaIsRefusedWhileOneReusingStoredLayersFitsAndADeleteMakesRoom() {
    open(new QuotaPolicy(Optional.of(10_000L), Map.of()));
    byte[] layer = randomBytes(1, 6000);
    Digest first = push("team/app", "v1", randomBytes(2, 100), layer);

    assertQuotaRefused(() -> push("team/app", "v2", randomBytes(3, 100), randomBytes(4, 6000)), "registry");
    push("team/app", "v3", randomBytes(5, 100), layer); // adds only a config and a manifest
    assertThat(usage.registryBytes()).isBetween(6000L + 200, 7000L);

    service.deleteManifest(new RepositoryName("team/app"), Reference.parse(first.toString()));
    service.deleteManifest(new RepositoryName("team/app"), Reference.parse("v3"));
    service.deleteManifest(new RepositoryName("team/app"), Reference.parse(digest(manifest(randomBytes(5, 100), List.of(layer))).toString()));
    usage.refresh();
    push("team/app", "v2", randomBytes(3, 100), randomBytes(4, 6000));
  }

  @Test
  void aNamespaceQuotaBoundsOnlyItsNamespace() {
    open(new QuotaPolicy(Optional.empty(), Map.of("team-a", 5000L)));
    push("team-a/app", "v1", randomBytes(6, 100), randomBytes(7, 4000));

    assertQuotaRefused(() -> push("team-a/web", "v1", randomBytes(8, 100), randomBytes(9, 4000)), "namespace team-a");
    push("team-b/app", "v1", randomBytes(10, 100), randomBytes(11, 40_000));
    assertThat(usage.namespaceBytes("team-b")).isGreaterThan(40_000);
  }

  @Test
  void quotaSizesParseWithBinaryUnits() {
    assertThat(QuotaPolicy.parseSize("500M")).isEqualTo(500L << 20);
    assertThat(QuotaPolicy.parseNamespace("team-a=2G")).isEqualTo(Map.entry("team-a", 2L << 30));
    assertThatThrownBy(() -> QuotaPolicy.parseSize("lots")).isInstanceOf(IllegalArgumentException.class);
  }
}
