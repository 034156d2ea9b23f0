package dev.meridian.agent.transfer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fetch at a time from real peers over real sockets into a real file-system blob store. */
class BlobFetcherTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");
  private static final RegionId SELF = new RegionId("asia");
  private static final int BUFFER = 64 * 1024;

  @TempDir Path dir;

  private final FaultyPeer east = FaultyPeerFixtures.start();
  private final FaultyPeer west = FaultyPeerFixtures.start();
  private FileSystemBlobStore store;
  private PeerClients peers;
  private BlobFetcher fetcher;
  private final byte[] blob = BlobFixtures.randomBytes(1_500_000, 11);

  @AfterEach
  void close() {
    east.close();
    west.close();
    if (peers != null) peers.close();
    if (store != null) store.close();
  }

  private void open() {
    store = new FileSystemBlobStore(dir.resolve("blobs"));
    Topology topology = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
        Region.of("asia", "http://127.0.0.1:1"), Region.of("eastus", east.url().toString()), Region.of("westeu", west.url().toString())));
    peers = PeerClients.http(topology, SELF, TransferConfig.builder().timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)).build());
    fetcher = new BlobFetcher(store, BUFFER);
  }

  private PeerClient peer(String region) {
    return peers.forRegion(new RegionId(region)).orElseThrow();
  }

  @Test
  void aBlobIsCopiedByteExactAndVerifiedAndItsSessionIsGone() {
    open();
    Digest digest = east.addBlob(blob);
    BlobInfo info = fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length);
    assertThat(info).isEqualTo(new BlobInfo(digest, blob.length));
    assertThat(stored(digest)).isEqualTo(blob);
    assertThat(store.findUpload(BlobFetcher.uploadIdFor(digest))).isEmpty();
  }

  @Test
  void aConnectionDroppedMidBlobResumesFromTheBytesHeld() {
    open();
    Digest digest = east.addBlob(blob);
    east.faultOnce(new FaultyPeer.DropAfter(600_000));
    assertThatThrownBy(() -> fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length))
        .isInstanceOf(PeerUnavailableException.class);
    long held = store.findUpload(BlobFetcher.uploadIdFor(digest)).orElseThrow().size();
    assertThat(held).isPositive().isLessThan(blob.length);

    fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length);

    assertThat(stored(digest)).isEqualTo(blob);
    List<FaultyPeer.Request> requests = east.requestsFor(digest);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).range()).contains("bytes=" + held + "-");
    assertThat(east.bytesServed(digest)).isLessThan(2L * blob.length);
  }

  @Test
  void aLargeBlobReadOverItsOwnConnectionAndDroppedMidBodyResumesFromTheBytesHeld() {
    open();
    byte[] large = BlobFixtures.randomBytes((int) HttpPeerClient.SOCKET_BODY_MIN_BYTES * 2 + 12_345, 13);
    Digest digest = east.addBlob(large);
    east.faultOnce(new FaultyPeer.DropAfter(5_000_000));
    assertThatThrownBy(() -> fetcher.fetchBlob(peer("eastus"), REPO, digest, large.length))
        .isInstanceOf(PeerUnavailableException.class);
    long held = store.findUpload(BlobFetcher.uploadIdFor(digest)).orElseThrow().size();
    assertThat(held).as("every byte that arrived before the drop, gathered or not").isEqualTo(5_000_000);

    fetcher.fetchBlob(peer("eastus"), REPO, digest, large.length);

    assertThat(stored(digest)).isEqualTo(large);
    List<FaultyPeer.Request> requests = east.requestsFor(digest);
    assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r.userAgent()).contains(HttpPeerClient.USER_AGENT));
    assertThat(requests.get(1).range()).contains("bytes=" + held + "-");
  }

  @Test
  void aCopiedBlobIsWrittenPastThePageCacheUnlessDirectWritesAreOff() {
    open();
    String type = fileSystemType();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Set.of("ext4", "xfs", "btrfs").contains(type), "a disk file system, not " + type);
    org.junit.jupiter.api.Assumptions.assumeTrue(store.directAlignment() > 0, "the file system takes direct writes");
    Digest digest = east.addBlob(blob);
    fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length);
    assertThat(BlobFixtures.inPageCache(store.paths().blob(digest))).as("copied with direct writes, in the cache").isFalse();

    byte[] other = BlobFixtures.randomBytes(blob.length, 12);
    Digest otherDigest = east.addBlob(other);
    new BlobFetcher(store, BUFFER, false, 1).fetchBlob(peer("eastus"), REPO, otherDigest, other.length);
    assertThat(BlobFixtures.inPageCache(store.paths().blob(otherDigest))).as("copied buffered, in the cache").isTrue();
    assertThat(stored(digest)).isEqualTo(blob);
    assertThat(stored(otherDigest)).isEqualTo(other);
  }

  @Test
  void aResumeTheSecondPeerAnswersWithTheWholeBlobStartsOverFromZero() {
    open();
    Digest digest = east.addBlob(blob);
    west.addBlob(blob);
    east.faultOnce(new FaultyPeer.DropAfter(600_000));
    assertThatThrownBy(() -> fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length)).isInstanceOf(PeerUnavailableException.class);
    west.fault(new FaultyPeer.IgnoreRange());

    fetcher.fetchBlob(peer("westeu"), REPO, digest, blob.length);

    assertThat(west.requestsFor(digest)).singleElement().satisfies(r -> assertThat(r.rangeStart()).isPositive());
    assertThat(west.bytesServed(digest)).isEqualTo(blob.length);
    assertThat(stored(digest)).isEqualTo(blob);
  }

  @Test
  void aCorruptPeerIsRejectedAndLeavesNeitherBlobNorSessionThenAHealthyPeerServesIt() {
    open();
    Digest digest = east.addBlob(blob);
    west.addBlob(blob);
    east.fault(new FaultyPeer.Corrupt());

    assertThatThrownBy(() -> fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
    assertThat(store.stat(digest)).isEmpty();
    assertThat(store.findUpload(BlobFetcher.uploadIdFor(digest))).isEmpty();

    fetcher.fetchBlob(peer("westeu"), REPO, digest, blob.length);
    assertThat(stored(digest)).isEqualTo(blob);
    assertThat(west.requestsFor(digest)).singleElement().satisfies(r -> assertThat(r.range()).isEmpty());
  }

  @Test
  void aPeerServingAnotherSizeThanTheDescriptorSaysIsRejectedBeforeAnyByteIsKept() {
    open();
    Digest digest = east.addBlob(blob);
    assertThatThrownBy(() -> fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length + 1))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.SIZE_INVALID));
    assertThat(store.stat(digest)).isEmpty();
    assertThat(store.findUpload(BlobFetcher.uploadIdFor(digest)).map(u -> u.size())).hasValue(0L);
  }

  @Test
  void aBlobAlreadyPresentIsNotFetched() {
    open();
    Digest digest = east.addBlob(blob);
    store.put(digest, new java.io.ByteArrayInputStream(blob));
    fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length);
    assertThat(east.requests()).isEmpty();
  }

  @Test
  void manifestBytesAreVerifiedBeforeTheyAreStored() {
    open();
    byte[] manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}".getBytes(UTF_8);
    Digest digest = east.addManifest(manifest);
    west.addManifest(manifest);
    east.fault(new FaultyPeer.Corrupt());

    assertThatThrownBy(() -> fetcher.fetchManifest(peer("eastus"), REPO, digest))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
    assertThat(store.stat(digest)).isEmpty();

    fetcher.fetchManifest(peer("westeu"), REPO, digest);
    assertThat(stored(digest)).isEqualTo(manifest);
  }

  @Test
  void aStoreReopenedAfterAnInterruptedCopyResumesWhereTheFileEnds() {
    open();
    Digest digest = east.addBlob(blob);
    east.faultOnce(new FaultyPeer.DropAfter(900_000));
    assertThatThrownBy(() -> fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length)).isInstanceOf(PeerUnavailableException.class);
    store.close();
    peers.close();

    open(); // a new store, fetcher and client on the same directory: an agent restart
    fetcher.fetchBlob(peer("eastus"), REPO, digest, blob.length);

    assertThat(stored(digest)).isEqualTo(blob);
    assertThat(east.requestsFor(digest).get(1).rangeStart()).isGreaterThan(0);
    assertThat(east.bytesServed(digest)).isLessThan(2L * blob.length);
  }

  /**
   * 64 MiB through one fixed buffer: the peer generates it block by block, the fetcher streams it to disk, and
   * what the fetching thread allocates stays a small fraction of the blob (a design that buffered the blob would
   * allocate at least its size).
   */
  @Test
  void a64MiBBlobStreamsThroughWithAllocationNotGrowingWithItsSize() {
    open();
    long size = 64L * 1024 * 1024;
    PeerContent.Generated content = new PeerContent.Generated(size, 42);
    Digest digest = content.digest();
    east.addBlob(digest, content);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    long before = threads.getCurrentThreadAllocatedBytes();
    fetcher.fetchBlob(peer("eastus"), REPO, digest, size);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(allocated).isLessThan(size / 8);
    assertThat(east.bytesServed(digest)).isEqualTo(size);
    assertThat(sha256OfStored(digest)).isEqualTo(digest);
  }

  private String fileSystemType() {
    try {
      return java.nio.file.Files.getFileStore(dir).type();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] stored(Digest digest) {
    try (BlobContent content = store.open(digest)) {
      return BlobFixtures.readAll(content);
    }
  }

  private Digest sha256OfStored(Digest digest) {
    MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
    try (BlobContent content = store.open(digest); InputStream in = content.openStream(0, content.info().size())) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) != -1; ) md.update(buffer, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(md.digest()));
  }
}
