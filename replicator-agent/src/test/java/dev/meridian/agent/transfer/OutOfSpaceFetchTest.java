package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.StorageFullException;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy that runs out of disk gives back what it held and fails with {@link StorageFullException} (not a peer's
 * fault); once there is room again the next attempt copies the whole blob. The full disk is a store whose
 * appends fail past a quota, as a real ENOSPC would (the chaos scenario {@code DiskFullIT} uses a real one).
 */
class OutOfSpaceFetchTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");

  @TempDir Path dir;
  private final FaultyPeer east = FaultyPeerFixtures.start();
  private FileSystemBlobStore disk;
  private PeerClients peers;

  @AfterEach
  void close() {
    east.close();
    if (peers != null) peers.close();
    if (disk != null) disk.close();
  }

  @Test
  void aCopyThatFillsTheDiskDiscardsItsBytesAndSucceedsOnceThereIsRoomAgain() {
    byte[] blob = BlobFixtures.randomBytes(900_000, 5);
    Digest digest = east.addBlob(blob);
    disk = new FileSystemBlobStore(dir.resolve("blobs"));
    QuotaStore store = new QuotaStore(disk, 300_000);
    Topology topology = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
        Region.of("asia", "http://127.0.0.1:1"), Region.of("eastus", east.url().toString())));
    peers = PeerClients.http(topology, new RegionId("asia"), TransferConfig.builder().timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)).build());
    BlobFetcher fetcher = new BlobFetcher(store, 64 * 1024);
    PeerClient peer = peers.forRegion(new RegionId("eastus")).orElseThrow();

    assertThatThrownBy(() -> fetcher.fetchBlob(peer, REPO, digest, blob.length)).isInstanceOf(StorageFullException.class);
    assertThat(disk.findUpload(BlobFetcher.uploadIdFor(digest))).as("the partial copy is given back").isEmpty();
    assertThat(disk.stat(digest)).isEmpty();
    assertThat(TransferPolicies.countsAgainstPeer(new StorageFullException("full", new IOException("No space left on device")))).isFalse();

    store.quota = Long.MAX_VALUE;
    assertThat(fetcher.fetchBlob(peer, REPO, digest, blob.length)).isEqualTo(new BlobInfo(digest, blob.length));
    try (BlobContent content = disk.open(digest)) {
      assertThat(BlobFixtures.readAll(content)).isEqualTo(blob);
    }
  }

  /** A blob store whose uploads hold at most {@code quota} bytes, failing like a full disk past it. */
  private static final class QuotaStore implements BlobStore {
    private final BlobStore delegate;
    volatile long quota;

    QuotaStore(BlobStore delegate, long quota) {
      this.delegate = delegate;
      this.quota = quota;
    }

    @Override public Optional<BlobInfo> stat(Digest digest) { return delegate.stat(digest); }
    @Override public BlobContent open(Digest digest) { return delegate.open(digest); }
    @Override public BlobInfo put(Digest expected, InputStream content) { return delegate.put(expected, content); }
    @Override public BlobUpload startUpload(UploadId id) { return new Limited(delegate.startUpload(id)); }
    @Override public Optional<BlobUpload> findUpload(UploadId id) { return delegate.findUpload(id).map(Limited::new); }
    @Override public boolean delete(Digest digest) { return delegate.delete(digest); }
    @Override public void forEach(Consumer<BlobInfo> visitor) { delegate.forEach(visitor); }
    @Override public boolean quarantine(Digest digest) { return delegate.quarantine(digest); }
    @Override public Optional<java.time.Instant> lastModified(Digest digest) { return delegate.lastModified(digest); }
    @Override public void forEachUpload(Consumer<dev.meridian.core.blob.UploadInfo> visitor) { delegate.forEachUpload(visitor); }

    private final class Limited implements BlobUpload {
      private final BlobUpload upload;

      Limited(BlobUpload upload) {
        this.upload = upload;
      }

      @Override public UploadId id() { return upload.id(); }
      @Override public long size() { return upload.size(); }
      @Override public void sync() { upload.sync(); }
      @Override public BlobInfo commit(Digest expected) { return upload.commit(expected); }
      @Override public void cancel() { upload.cancel(); }

      @Override public int directAlignment() { return upload.directAlignment(); }

      @Override
      public void append(ByteBuffer bytes) {
        checkQuota(bytes);
        upload.append(bytes);
      }

      @Override
      public void appendDirect(ByteBuffer bytes) {
        checkQuota(bytes);
        upload.appendDirect(bytes);
      }

      private void checkQuota(ByteBuffer bytes) {
        if (upload.size() + bytes.remaining() > quota) {
          throw new StorageFullException("out of disk space: append to upload " + id(), new IOException("No space left on device"));
        }
      }
    }
  }
}
