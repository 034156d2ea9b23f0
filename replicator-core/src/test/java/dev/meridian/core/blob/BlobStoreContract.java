package dev.meridian.core.blob;

import static dev.meridian.core.blob.BlobFixtures.pausingHalfway;
import static dev.meridian.core.blob.BlobFixtures.randomBytes;
import static dev.meridian.core.blob.BlobFixtures.readAll;
import static dev.meridian.core.blob.BlobFixtures.sha256;
import static dev.meridian.core.blob.BlobFixtures.sha512;
import static dev.meridian.core.blob.BlobFixtures.streamFailingAt;
import static dev.meridian.core.blob.BlobFixtures.unreadableStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do, whatever holds the bytes. An implementation's test extends
 * this and supplies a fresh, empty store; its own specifics go in the subclass.
 */
public abstract class BlobStoreContract {
  protected BlobStore store;

  /** A new, empty store; called before every test. */
  protected abstract BlobStore createStore();

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore();
  }

  protected BlobInfo put(byte[] bytes) {
    return store.put(sha256(bytes), new ByteArrayInputStream(bytes));
  }

  protected byte[] contentOf(Digest digest) {
    try (BlobContent content = store.open(digest)) {
      return readAll(content);
    }
  }

  protected List<BlobInfo> allBlobs() {
    List<BlobInfo> blobs = new ArrayList<>();
    store.forEach(blobs::add);
    return blobs;
  }

  protected static void assertRegistryError(OciErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).code()).isEqualTo(code));
  }

  @Test
  void putBlobIsStatedWithItsDigestAndSize() {
    byte[] bytes = randomBytes(3000, 1);
    BlobInfo info = put(bytes);
    assertThat(info).isEqualTo(new BlobInfo(sha256(bytes), 3000));
    assertThat(store.stat(sha256(bytes))).contains(info);
  }

  @Test
  void absentBlobHasNoStatCannotBeOpenedAndIsNotDeleted() {
    Digest absent = sha256(randomBytes(10, 2));
    assertThat(store.stat(absent)).isEmpty();
    assertRegistryError(OciErrorCode.BLOB_UNKNOWN, () -> store.open(absent));
    assertThat(store.delete(absent)).isFalse();
  }

  @Test
  void openedBlobReadsBackExactlyThroughStreamAndChannel() throws IOException {
    byte[] bytes = randomBytes(70_000, 3);
    put(bytes);
    try (BlobContent content = store.open(sha256(bytes))) {
      assertThat(content.info()).isEqualTo(new BlobInfo(sha256(bytes), bytes.length));
      assertThat(readAll(content)).isEqualTo(bytes);
      ByteBuffer viaChannel = ByteBuffer.allocate(bytes.length);
      while (viaChannel.hasRemaining()) content.channel().read(viaChannel, viaChannel.position());
      assertThat(viaChannel.array()).isEqualTo(bytes);
    }
  }

  @Test
  void emptyBlobRoundTrips() {
    byte[] empty = new byte[0];
    assertThat(put(empty).size()).isZero();
    assertThat(contentOf(sha256(empty))).isEmpty();
  }

  @Test
  void rangeStreamsReturnExactlyTheRequestedBytesAndDoNotDisturbEachOther() throws IOException {
    byte[] bytes = randomBytes(1000, 4);
    put(bytes);
    try (BlobContent content = store.open(sha256(bytes))) {
      long[][] ranges = {{0, 0}, {0, 1}, {10, 20}, {999, 1000}, {0, 1000}, {500, 500}};
      for (long[] r : ranges) {
        try (InputStream in = content.openStream(r[0], r[1])) {
          assertThat(in.readAllBytes()).as("range %s", Arrays.toString(r))
              .isEqualTo(Arrays.copyOfRange(bytes, (int) r[0], (int) r[1]));
        }
      }
      try (InputStream first = content.openStream(0, 1000); InputStream second = content.openStream(600, 1000)) {
        byte[] a = first.readNBytes(300);
        byte[] b = second.readNBytes(300);
        byte[] aRest = first.readAllBytes();
        assertThat(a).isEqualTo(Arrays.copyOfRange(bytes, 0, 300));
        assertThat(b).isEqualTo(Arrays.copyOfRange(bytes, 600, 900));
        assertThat(aRest).isEqualTo(Arrays.copyOfRange(bytes, 300, 1000));
        assertThat(second.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 900, 1000));
      }
    }
  }

  @Test
  void rangeOutsideTheBlobIsRefusedAsRangeInvalid() {
    byte[] bytes = randomBytes(100, 5);
    put(bytes);
    try (BlobContent content = store.open(sha256(bytes))) {
      assertRegistryError(OciErrorCode.RANGE_INVALID, () -> content.openStream(0, 101));
      assertRegistryError(OciErrorCode.RANGE_INVALID, () -> content.openStream(-1, 10));
      assertRegistryError(OciErrorCode.RANGE_INVALID, () -> content.openStream(50, 40));
    }
  }

  @Test
  void puttingAPresentDigestReadsNothingAndReturnsTheStoredBlob() {
    byte[] bytes = randomBytes(500, 6);
    BlobInfo first = put(bytes);
    assertThat(store.put(sha256(bytes), unreadableStream())).isEqualTo(first);
    assertThat(contentOf(sha256(bytes))).isEqualTo(bytes);
  }

  @Test
  void putWithMismatchingDigestIsRefusedAndStoresNothing() {
    byte[] claimed = randomBytes(500, 7);
    byte[] sent = randomBytes(500, 8);
    assertRegistryError(OciErrorCode.DIGEST_INVALID,
        () -> store.put(sha256(claimed), new ByteArrayInputStream(sent)));
    assertThat(store.stat(sha256(claimed))).isEmpty();
    assertThat(store.stat(sha256(sent))).isEmpty();
    assertThat(allBlobs()).isEmpty();
  }

  @Test
  void putWhoseStreamFailsHalfwayStoresNothing() {
    byte[] bytes = randomBytes(200_000, 9);
    assertThatThrownBy(() -> store.put(sha256(bytes), streamFailingAt(bytes, 100_000)));
    assertThat(store.stat(sha256(bytes))).isEmpty();
    assertThat(allBlobs()).isEmpty();
    assertThat(put(bytes).size()).isEqualTo(bytes.length); // and a retry succeeds
  }

  @Test
  void concurrentWritersOfOneDigestAllSucceed() throws Exception {
    int writers = 4;
    byte[] bytes = randomBytes(1 << 20, 10);
    // Writers meet halfway, so their writes really overlap (a store that serialises them still passes).
    CyclicBarrier halfway = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<BlobInfo>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        Callable<BlobInfo> writer = () -> store.put(sha256(bytes), pausingHalfway(bytes, halfway));
        results.add(pool.submit(writer));
      }
      for (Future<BlobInfo> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(new BlobInfo(sha256(bytes), bytes.length));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(contentOf(sha256(bytes))).isEqualTo(bytes);
    assertThat(allBlobs()).containsExactly(new BlobInfo(sha256(bytes), bytes.length));
  }

  @Test
  void deletingABlobWhileItIsReadLetsTheReaderFinish() throws IOException {
    byte[] bytes = randomBytes(300_000, 11);
    put(bytes);
    try (BlobContent content = store.open(sha256(bytes)); InputStream in = content.openStream(0, bytes.length)) {
      byte[] head = in.readNBytes(100_000);
      assertThat(store.delete(sha256(bytes))).isTrue();
      assertThat(store.stat(sha256(bytes))).isEmpty();
      assertRegistryError(OciErrorCode.BLOB_UNKNOWN, () -> store.open(sha256(bytes)));
      byte[] tail = in.readAllBytes();
      assertThat(head).isEqualTo(Arrays.copyOfRange(bytes, 0, 100_000));
      assertThat(tail).isEqualTo(Arrays.copyOfRange(bytes, 100_000, bytes.length));
    }
    assertThat(allBlobs()).isEmpty();
  }

  @Test
  void forEachVisitsEveryStoredBlobOnce() {
    byte[] a = randomBytes(10, 12);
    byte[] b = randomBytes(20, 13);
    byte[] c = randomBytes(30, 14);
    put(a);
    put(b);
    store.put(sha512(c), new ByteArrayInputStream(c));
    assertThat(allBlobs()).containsExactlyInAnyOrder(
        new BlobInfo(sha256(a), 10), new BlobInfo(sha256(b), 20), new BlobInfo(sha512(c), 30));
  }

  @Test
  void sha512BlobsAreStoredApartFromTheSha256OfTheSameBytes() {
    byte[] bytes = randomBytes(5000, 15);
    BlobInfo info = store.put(sha512(bytes), new ByteArrayInputStream(bytes));
    assertThat(info).isEqualTo(new BlobInfo(sha512(bytes), 5000));
    assertThat(contentOf(sha512(bytes))).isEqualTo(bytes);
    assertThat(store.stat(sha256(bytes))).isEmpty();
    assertRegistryError(OciErrorCode.DIGEST_INVALID,
        () -> store.put(sha512(randomBytes(5000, 16)), new ByteArrayInputStream(bytes)));
  }

  // ---- upload sessions ----

  protected static void append(BlobUpload upload, byte[] bytes, int from, int to) {
    upload.append(ByteBuffer.wrap(bytes, from, to - from));
  }

  @Test
  void uploadAppendedInChunksCommitsToItsDigest() {
    byte[] bytes = randomBytes(250_000, 20);
    UploadId id = UploadId.random();
    BlobUpload upload = store.startUpload(id);
    assertThat(upload.id()).isEqualTo(id);
    assertThat(upload.size()).isZero();
    int[] cuts = {0, 1, 65_536, 65_537, 200_000, 250_000};
    for (int i = 1; i < cuts.length; i++) {
      append(upload, bytes, cuts[i - 1], cuts[i]);
      assertThat(upload.size()).isEqualTo(cuts[i]);
      upload.sync();
    }
    assertThat(store.stat(sha256(bytes))).as("invisible before commit").isEmpty();
    assertThat(upload.commit(sha256(bytes))).isEqualTo(new BlobInfo(sha256(bytes), bytes.length));
    assertThat(contentOf(sha256(bytes))).isEqualTo(bytes);
    assertThat(store.findUpload(id)).as("session ended").isEmpty();
  }

  @Test
  void uploadFoundAgainResumesAtItsSize() {
    byte[] bytes = randomBytes(100_000, 21);
    UploadId id = UploadId.random();
    BlobUpload first = store.startUpload(id);
    append(first, bytes, 0, 40_000);
    first.sync();
    BlobUpload found = store.findUpload(id).orElseThrow();
    assertThat(found.id()).isEqualTo(id);
    assertThat(found.size()).isEqualTo(40_000);
    append(found, bytes, 40_000, bytes.length);
    assertThat(found.commit(sha256(bytes)).size()).isEqualTo(bytes.length);
    assertThat(contentOf(sha256(bytes))).isEqualTo(bytes);
  }

  @Test
  void uploadCommittedWithAMismatchingDigestIsDiscarded() {
    byte[] bytes = randomBytes(10_000, 22);
    Digest wrong = sha256(randomBytes(10_000, 23));
    UploadId id = UploadId.random();
    BlobUpload upload = store.startUpload(id);
    append(upload, bytes, 0, bytes.length);
    assertRegistryError(OciErrorCode.DIGEST_INVALID, () -> upload.commit(wrong));
    assertThat(store.findUpload(id)).isEmpty();
    assertThat(store.stat(wrong)).isEmpty();
    assertThat(store.stat(sha256(bytes))).isEmpty();
    assertThat(allBlobs()).isEmpty();
  }

  @Test
  void cancelledUploadIsGoneAndItsIdCanStartAgain() {
    UploadId id = UploadId.random();
    BlobUpload upload = store.startUpload(id);
    append(upload, randomBytes(1000, 24), 0, 1000);
    upload.cancel();
    assertThat(store.findUpload(id)).isEmpty();
    assertThat(allBlobs()).isEmpty();
    assertThat(store.startUpload(id).size()).isZero();
  }

  @Test
  void startingAnUploadWhoseIdExistsIsRefused() {
    UploadId id = UploadId.random();
    store.startUpload(id);
    assertRegistryError(OciErrorCode.BLOB_UPLOAD_INVALID, () -> store.startUpload(id));
  }

  @Test
  void unknownUploadIsNotFound() {
    assertThat(store.findUpload(UploadId.random())).isEmpty();
  }

  @Test
  void committingAnUploadWhoseBlobIsPresentKeepsOneBlob() {
    byte[] bytes = randomBytes(4000, 25);
    put(bytes);
    BlobUpload upload = store.startUpload(UploadId.random());
    append(upload, bytes, 0, bytes.length);
    assertThat(upload.commit(sha256(bytes))).isEqualTo(new BlobInfo(sha256(bytes), bytes.length));
    assertThat(allBlobs()).containsExactly(new BlobInfo(sha256(bytes), bytes.length));
    assertThat(store.findUpload(upload.id())).isEmpty();
  }

  @Test
  void uploadCommitsToASha512Digest() {
    byte[] bytes = randomBytes(70_000, 26);
    BlobUpload upload = store.startUpload(UploadId.random());
    append(upload, bytes, 0, 30_000);
    append(upload, bytes, 30_000, bytes.length);
    assertThat(upload.commit(sha512(bytes))).isEqualTo(new BlobInfo(sha512(bytes), bytes.length));
    assertThat(contentOf(sha512(bytes))).isEqualTo(bytes);
  }

  @Test
  void emptyUploadCommitsToTheEmptyBlob() {
    BlobUpload upload = store.startUpload(UploadId.random());
    assertThat(upload.commit(sha256(new byte[0])).size()).isZero();
    assertThat(store.stat(sha256(new byte[0]))).contains(new BlobInfo(sha256(new byte[0]), 0));
  }
}
