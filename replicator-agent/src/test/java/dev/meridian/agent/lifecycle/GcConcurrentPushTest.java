package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race garbage collection must win: pushes and deletes of manifests over a small pool of shared blobs, while
 * collections with no grace period at all run back to back. A push may fail (its blob was collected between its
 * upload and its manifest: the client uploads again), but a manifest acknowledged must keep every blob it
 * references, so it stays pullable.
 */
class GcConcurrentPushTest {
  private static final RepositoryName APP = new RepositoryName("race/app");
  private static final GarbageCollector.Settings NO_GRACE = new GarbageCollector.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1));

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

  @Test
  void aManifestAcknowledgedWhileCollectionsRunKeepsEveryBlobItReferences() throws Exception {
    GarbageCollector collector = new GarbageCollector(state, blobs, guard, service::expireUpload, NO_GRACE, m -> false,
        Clock.systemUTC(), GcListener.NONE);
    List<byte[]> pool = List.of(randomBytes(1, 2000), randomBytes(2, 3000), randomBytes(3, 4000), randomBytes(4, 500));
    Map<Digest, byte[]> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger collected = new AtomicInteger();
    AtomicBoolean pushing = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      Future<?> gc = threads.submit(() -> {
        while (pushing.get()) collected.addAndGet(collector.collect(false).blobsDeleted());
      });
      List<Future<?>> pushers = new java.util.ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        pushers.add(threads.submit(() -> {
          for (int i = 0; i < 60; i++) {
            byte[] config = ("{\"thread\":" + thread + ",\"i\":" + i + "}").getBytes();
            byte[] layer = pool.get((thread + i) % pool.size());
            byte[] body = manifest(config, List.of(layer));
            try {
              upload(config);
              upload(layer);
              Digest pushed = service.putManifest(APP, Reference.parse(digest(body).toString()), MediaType.OCI_MANIFEST, body).digest();
              acknowledged.put(pushed, body);
            } catch (RegistryException e) {
              assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_BLOB_UNKNOWN);
              refused.incrementAndGet();
              continue;
            }
            // Delete every other image again: its layer becomes garbage unless another manifest holds it.
            if (i % 2 == 0) {
              Digest gone = digest(body);
              service.deleteManifest(APP, Reference.parse(gone.toString()));
              acknowledged.remove(gone);
            }
          }
          return null;
        }));
      }
      for (Future<?> p : pushers) p.get(120, TimeUnit.SECONDS);
      pushing.set(false);
      gc.get(60, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    assertThat(collected.get()).as("collections deleted something while pushes ran").isPositive();
    assertThat(acknowledged).isNotEmpty();
    collector.collect(false);
    for (Map.Entry<Digest, byte[]> image : acknowledged.entrySet()) {
      var served = service.getManifest(APP, Reference.parse(image.getKey().toString()), true);
      assertThat(served.bytes()).isEqualTo(image.getValue());
      for (var ref : served.record().references()) {
        assertThat(blobs.stat(ref.digest())).as("blob %s of acknowledged %s", ref.digest(), image.getKey()).isPresent();
      }
    }
  }
}
