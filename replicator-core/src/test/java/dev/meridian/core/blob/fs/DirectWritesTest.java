package dev.meridian.core.blob.fs;

import static dev.meridian.core.blob.BlobFixtures.inPageCache;
import static dev.meridian.core.blob.BlobFixtures.randomBytes;
import static dev.meridian.core.blob.BlobFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends that bypass the page cache: where they apply, and that the bytes stored are the same either way. */
class DirectWritesTest {
  @TempDir Path root;
  private FileSystemBlobStore store;

  @AfterEach
  void close() {
    if (store != null) store.close();
  }

  private FileSystemBlobStore open() {
    if (store != null) store.close();
    store = new FileSystemBlobStore(root);
    return store;
  }

  /** An aligned direct buffer holding {@code bytes} (a length that is a multiple of {@code alignment}). */
  private static ByteBuffer aligned(byte[] bytes, int alignment) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + alignment).alignedSlice(alignment).limit(bytes.length).slice();
    return buffer.put(bytes).flip();
  }

  /** The store's alignment, on a disk file system that takes direct writes (tests of the page cache need one). */
  private int openOnDisk() throws IOException {
    String type = Files.getFileStore(root).type();
    assumeTrue(Set.of("ext4", "xfs", "btrfs").contains(type), "a disk file system, not " + type);
    int alignment = open().directAlignment();
    assumeTrue(alignment > 0, "the file system takes direct writes");
    return alignment;
  }

  /** The store again, its direct channels refusing every write, as a file system refusing these direct writes would. */
  private void reopenRefusingDirectWrites() {
    store.close();
    store = new FileSystemBlobStore(root, dev.meridian.core.blob.PublishListener.NONE, file -> {
      FileChannel refusing = FileChannel.open(file, StandardOpenOption.WRITE);
      refusing.close();
      return refusing;
    });
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  @Test
  void onADiskFileSystemTheStoreFindsDirectWritesAtItsBlockSizeAndLeavesNoProbeBehind() throws IOException {
    assertThat(openOnDisk()).isEqualTo((int) Files.getFileStore(root).getBlockSize());
    try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
    assertThat(store.startUpload(new UploadId("u1")).directAlignment()).isEqualTo(store.directAlignment());
  }

  @Test
  void alignedDirectAppendsLeaveNoCopyInThePageCacheWhileOrdinaryAppendsOfTheSameBufferDo() throws IOException {
    int alignment = openOnDisk();
    byte[] bytes = randomBytes(8 * alignment * 64, 1);

    BlobUpload direct = store.startUpload(new UploadId("direct"));
    direct.appendDirect(aligned(bytes, alignment));
    BlobInfo directInfo = direct.commit(sha256(bytes));
    assertThat(inPageCache(store.paths().blob(directInfo.digest()))).as("direct-written blob in the page cache").isFalse();
    assertThat(Files.readAllBytes(store.paths().blob(directInfo.digest()))).isEqualTo(bytes);

    byte[] other = randomBytes(bytes.length, 2);
    BlobUpload buffered = store.startUpload(new UploadId("buffered"));
    buffered.append(aligned(other, alignment)); // a push's append: never past the cache, whatever the buffer
    BlobInfo bufferedInfo = buffered.commit(sha256(other));
    assertThat(inPageCache(store.paths().blob(bufferedInfo.digest()))).as("buffered blob in the page cache").isTrue();
  }

  @Test
  void appendsOfEveryKindAtAnyOffsetStoreExactlyTheBytesGivenAndSurviveARestart() throws IOException {
    int alignment = openOnDisk();
    var expected = new ByteArrayOutputStream();
    BlobUpload upload = store.startUpload(new UploadId("mixed"));
    byte[][] pieces = {
        randomBytes(2 * alignment, 10), // direct, at 0
        randomBytes(1000, 11), // heap: buffered
        randomBytes(alignment, 12), // aligned buffer at an unaligned offset: buffered
        randomBytes(alignment - 1000, 13), // heap, back to a boundary
        randomBytes(4 * alignment, 14), // direct again
    };
    for (int i = 0; i < pieces.length; i++) {
      if (i % 2 == 0) upload.appendDirect(aligned(pieces[i], alignment));
      else upload.append(ByteBuffer.wrap(pieces[i]));
      expected.write(pieces[i]);
    }
    // A direct buffer whose address is not aligned, at an aligned offset: buffered.
    byte[] unalignedAddress = randomBytes(alignment, 15);
    ByteBuffer shifted = ByteBuffer.allocateDirect(alignment + 1).position(1).slice().put(unalignedAddress).flip();
    upload.appendDirect(shifted);
    expected.write(unalignedAddress);
    upload.sync();
    assertThat(upload.size()).isEqualTo(expected.size());

    open(); // a restart: the session is found on disk and its hash rebuilt from the bytes there
    BlobUpload reopened = store.findUpload(new UploadId("mixed")).orElseThrow();
    assertThat(reopened.size()).isEqualTo(expected.size());
    byte[] tail = randomBytes(3 * alignment, 16);
    reopened.appendDirect(aligned(tail, alignment)); // the size is aligned again: direct
    expected.write(tail);
    Digest digest = sha256(expected.toByteArray());
    assertThat(reopened.commit(digest)).isEqualTo(new BlobInfo(digest, expected.size()));
    assertThat(Files.readAllBytes(store.paths().blob(digest))).isEqualTo(expected.toByteArray());
  }

  @Test
  void aDirectWriteThatFailsIsWrittenBufferedAndTheSessionBuffersFromThenOn() throws IOException {
    int alignment = openOnDisk();
    reopenRefusingDirectWrites();
    byte[] first = randomBytes(4 * alignment, 20);
    byte[] second = randomBytes(4 * alignment, 21);
    BlobUpload upload = store.startUpload(new UploadId("refused"));
    assertThat(upload.directAlignment()).isEqualTo(alignment);

    upload.appendDirect(aligned(first, alignment));
    assertThat(upload.size()).isEqualTo(first.length);
    assertThat(upload.directAlignment()).as("after a failed direct write").isZero();
    upload.appendDirect(aligned(second, alignment));

    byte[] both = concat(first, second);
    BlobInfo info = upload.commit(sha256(both));
    assertThat(Files.readAllBytes(store.paths().blob(info.digest()))).isEqualTo(both);
    assertThat(inPageCache(store.paths().blob(info.digest()))).as("written buffered").isTrue();
  }

  @Test
  void largeDirectAppendsHashedWhileTheyAreWrittenStoreExactlyTheirBytesUnderTheirDigest() throws IOException {
    int alignment = openOnDisk();
    int large = FileSystemBlobUpload.HASH_WHILE_WRITING_MIN_BYTES * 2;
    var expected = new ByteArrayOutputStream();
    BlobUpload upload = store.startUpload(new UploadId("large"));
    ByteBuffer reused = ByteBuffer.allocateDirect(large + alignment).alignedSlice(alignment).limit(large).slice();
    for (int i = 0; i < 3; i++) {
      byte[] piece = randomBytes(large, 30 + i);
      reused.clear();
      upload.appendDirect(reused.put(piece).flip()); // the same buffer each time, as a copy reuses its own
      expected.write(piece);
    }
    byte[] tail = randomBytes(1234, 33);
    upload.append(ByteBuffer.wrap(tail));
    expected.write(tail);

    Digest digest = sha256(expected.toByteArray());
    assertThat(upload.commit(digest)).isEqualTo(new BlobInfo(digest, expected.size()));
    assertThat(Files.readAllBytes(store.paths().blob(digest))).isEqualTo(expected.toByteArray());
  }

  @Test
  void aLargeDirectWriteThatFailsWhileItIsHashedIsWrittenBufferedAndTheDigestStillMatches() throws IOException {
    int alignment = openOnDisk();
    reopenRefusingDirectWrites();
    byte[] first = randomBytes(FileSystemBlobUpload.HASH_WHILE_WRITING_MIN_BYTES, 40);
    byte[] second = randomBytes(alignment, 41);
    BlobUpload upload = store.startUpload(new UploadId("refused-large"));

    upload.appendDirect(aligned(first, alignment)); // hashed, then its write fails: the hash must not count it twice
    upload.append(ByteBuffer.wrap(second));

    byte[] both = concat(first, second);
    assertThat(upload.size()).isEqualTo(both.length);
    BlobInfo info = upload.commit(sha256(both));
    assertThat(Files.readAllBytes(store.paths().blob(info.digest()))).isEqualTo(both);
  }

  @Test
  void aLargeDirectAppendIsWrittenByAnotherThreadAndReturnsOnlyOnceWrittenEvenWhenInterrupted() throws Exception {
    int alignment = openOnDisk();
    store.close();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicReference<GatedChannel> channel = new AtomicReference<>();
    store = new FileSystemBlobStore(root, dev.meridian.core.blob.PublishListener.NONE, file -> {
      GatedChannel gated = new GatedChannel(DirectWrites.open(file), gate);
      channel.set(gated);
      return gated;
    });
    byte[] bytes = randomBytes(FileSystemBlobUpload.HASH_WHILE_WRITING_MIN_BYTES * 2, 50);
    BlobUpload upload = store.startUpload(new UploadId("interrupted"));
    ByteBuffer buffer = aligned(bytes, alignment);
    AtomicBoolean interruptKept = new AtomicBoolean();
    Thread appending = new Thread(() -> {
      upload.appendDirect(buffer);
      interruptKept.set(Thread.currentThread().isInterrupted());
    }, "appending");

    appending.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> channel.get() != null && channel.get().entered.getCount() == 0);
    appending.interrupt();
    // Returning now would hand the caller back a buffer the write still reads: it must wait for the write.
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(appending::isAlive);
    gate.countDown();
    appending.join(30_000);

    assertThat(appending.isAlive()).isFalse();
    assertThat(channel.get().writer).as("the thread that wrote").isNotNull().isNotSameAs(appending);
    assertThat(interruptKept).isTrue();
    assertThat(upload.size()).isEqualTo(bytes.length);
    BlobInfo info = upload.commit(sha256(bytes));
    assertThat(Files.readAllBytes(store.paths().blob(info.digest()))).isEqualTo(bytes);
  }

  @Test
  void onlyADirectBufferWithItsAddressLengthAndOffsetAllAlignedFits() {
    ByteBuffer direct = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096).limit(2 * 4096);
    assertThat(DirectWrites.fits(direct, 8192, 4096)).isTrue();
    assertThat(DirectWrites.fits(direct, 100, 4096)).as("offset").isFalse();
    assertThat(DirectWrites.fits(direct.duplicate().limit(4000), 0, 4096)).as("length").isFalse();
    assertThat(DirectWrites.fits(direct.duplicate().position(512).limit(512 + 4096), 0, 4096)).as("address").isFalse();
    assertThat(DirectWrites.fits(direct.duplicate().limit(0), 0, 4096)).as("empty").isFalse();
    assertThat(DirectWrites.fits(ByteBuffer.allocate(4096), 0, 4096)).as("heap").isFalse();
    assertThat(DirectWrites.fits(direct, 0, DirectWrites.NONE)).as("unsupported").isFalse();
  }
}
