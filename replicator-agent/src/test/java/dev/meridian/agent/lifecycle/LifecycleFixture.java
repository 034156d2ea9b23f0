package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;

/**
 * One region's registry over real RocksDB and blob files, with the content guard its garbage collector shares with
 * pushes: what the lifecycle tests (collection, soft delete, the collection race) start from.
 */
final class LifecycleFixture implements AutoCloseable {
  final RocksDbRegistryState state;
  final FileSystemBlobStore blobs;
  final ContentGuard guard = new ContentGuard();
  final RegistryService service;

  LifecycleFixture(Path dir) {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    service = new RegistryService(blobs, state, new Hlc(Clock.systemUTC()), new RegionId("eastus"), Clock.systemUTC(), guard);
  }

  /** Uploads {@code content} into {@code repository} as one monolithic upload; returns its digest. */
  Digest upload(RepositoryName repository, byte[] content) {
    UploadStatus started = service.startUpload(repository);
    UploadWriter writer = service.beginWrite(repository, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    return service.completeUpload(writer, digest(content)).digest();
  }

  @Override
  public void close() {
    state.close();
    blobs.close();
  }
}
