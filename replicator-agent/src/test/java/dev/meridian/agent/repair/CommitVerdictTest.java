package dev.meridian.agent.repair;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob committed here is served to its first peer on the verdict its commit gave (it was hashed as it was written),
 * not hashed a second time; the verdict holds only while the file keeps that stamp. Observed by corrupting the file
 * behind the store's back: kept stamp, trusted; changed stamp, hashed and quarantined.
 */
class CommitVerdictTest {
  @TempDir Path dir;
  private final VerifiedBlobs verdicts = new VerifiedBlobs(Scrubber.PEER_VERDICT_TTL);
  private FileSystemBlobStore blobs;
  private RocksDbRegistryState state;
  private Scrubber scrubber;

  private Scrubber scrubberOver(FileSystemBlobStore store, VerifiedBlobs shared) {
    blobs = store;
    state = RocksDbRegistryState.open(dir.resolve("state"));
    scrubber = new Scrubber(blobs, state, new ContentGuard(), Clock.systemUTC(), 1L << 30, Duration.ofDays(1),
        ScrubListener.NONE, () -> {}, Scrubber.QuarantineWrites.NONE, shared);
    return scrubber;
  }

  @AfterEach
  void close() {
    if (scrubber != null) scrubber.close();
    if (state != null) state.close();
    if (blobs != null) blobs.close();
  }

  @Test
  void aBlobCommittedHereIsTrustedForItsFirstPeerWithoutBeingHashedAgain() throws IOException {
    Scrubber scrub = scrubberOver(new FileSystemBlobStore(dir.resolve("blobs"), verdicts), verdicts);
    Digest digest = commit(blobs, bytes(200_000));

    Path file = blobs.paths().blob(digest);
    flipOneByteKeepingTheStamp(file);

    assertThat(scrub.verifyOrQuarantine(digest)).as("trusted on the commit's verdict").isTrue();
  }

  @Test
  void withoutTheCommitsVerdictTheSameBlobIsHashedForItsFirstPeer() throws IOException {
    Scrubber scrub = scrubberOver(new FileSystemBlobStore(dir.resolve("blobs")), verdicts);
    Digest digest = commit(blobs, bytes(200_000));

    flipOneByteKeepingTheStamp(blobs.paths().blob(digest));

    assertThat(scrub.verifyOrQuarantine(digest)).isFalse();
    assertThat(blobs.stat(digest)).isEmpty();
  }

  @Test
  void aBlobWrittenSinceItsCommitIsHashedAndQuarantined() throws IOException {
    Scrubber scrub = scrubberOver(new FileSystemBlobStore(dir.resolve("blobs"), verdicts), verdicts);
    Digest digest = commit(blobs, bytes(200_000));
    Path file = blobs.paths().blob(digest);
    FileTime committed = Files.getLastModifiedTime(file);

    flipOneByteKeepingTheStamp(file);
    Files.setLastModifiedTime(file, FileTime.from(committed.toInstant().plusMillis(1)));

    assertThat(scrub.verifyOrQuarantine(digest)).isFalse();
    assertThat(blobs.stat(digest)).as("quarantined").isEmpty();
  }

  private static Digest commit(FileSystemBlobStore store, byte[] content) {
    Digest digest = Digest.sha256Of(content);
    BlobUpload upload = store.startUpload(new UploadId("u-" + digest.hex().substring(0, 12)));
    upload.append(ByteBuffer.wrap(content));
    upload.commit(digest);
    return digest;
  }

  private static byte[] bytes(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  /** Corrupts the file as bit rot would: same size, same modification time. */
  private static void flipOneByteKeepingTheStamp(Path file) throws IOException {
    FileTime before = Files.getLastModifiedTime(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, channel.size() / 2);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      channel.write(one, channel.size() / 2);
    }
    Files.setLastModifiedTime(file, before);
  }
}
