package dev.meridian.core.blob.fs;

import static dev.meridian.core.blob.BlobFixtures.randomBytes;
import static dev.meridian.core.blob.BlobFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
  @TempDir Path root;

  @Test
  void aFailedBackgroundSyncFailsEveryLaterSettle() throws IOException {
    FileChannel channel = FileChannel.open(root.resolve("data"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    var writeBehind = new WriteBehind(channel, Runnable::run); // the sync runs before settle looks
    channel.close(); // the background fdatasync now fails, as a failing disk's would
    writeBehind.written(WriteBehind.KICK_BYTES);

    assertThatThrownBy(writeBehind::settle).isInstanceOf(IOException.class).hasMessageContaining("background sync failed");
    assertThatThrownBy(writeBehind::settle).isInstanceOf(IOException.class);
  }

  @Test
  void settleDoesNotWaitForASyncStillQueuedBehindOtherUploadsAndThatSyncNeverRuns() throws IOException {
    FileChannel channel = FileChannel.open(root.resolve("data"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    var held = new ArrayList<Runnable>(); // a pool whose threads are all busy with other files
    var writeBehind = new WriteBehind(channel, held::add);
    writeBehind.written(WriteBehind.KICK_BYTES);
    assertThat(held).hasSize(1);

    assertTimeoutPreemptively(Duration.ofSeconds(30), writeBehind::settle, "settle waited for a sync that never started");
    channel.close(); // had the dropped sync run now, it would fail and every later settle with it
    held.forEach(Runnable::run);
    writeBehind.settle();
    writeBehind.quiesce();
  }

  @Test
  void aKickWhileASyncWaitsForAThreadQueuesNoSecondOne() throws IOException {
    try (FileChannel channel = FileChannel.open(root.resolve("data"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      var held = new ArrayList<Runnable>();
      var writeBehind = new WriteBehind(channel, held::add);
      writeBehind.written(WriteBehind.KICK_BYTES);
      writeBehind.written(WriteBehind.KICK_BYTES);
      assertThat(held).hasSize(1);

      held.get(0).run();
      writeBehind.written(WriteBehind.KICK_BYTES);
      assertThat(held).as("the first finished, so the next kick starts one").hasSize(2);
    }
  }

  @Test
  void belowTheKickNothingRunsInTheBackgroundAndSettleSucceeds() throws IOException {
    FileChannel channel = FileChannel.open(root.resolve("data"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    var writeBehind = new WriteBehind(channel);
    channel.close(); // a background sync would fail on it
    writeBehind.written(WriteBehind.KICK_BYTES - 1);

    writeBehind.settle();
  }

  @Test
  void anUploadOfManyKicksSyncsAndCommitsItsExactBytes() throws IOException {
    try (var store = new FileSystemBlobStore(root)) {
      byte[] data = randomBytes((int) (3 * WriteBehind.KICK_BYTES + 12345), 7);
      BlobUpload upload = store.startUpload(UploadId.random());
      for (int at = 0; at < data.length; at += 1 << 20) {
        upload.append(ByteBuffer.wrap(data, at, Math.min(1 << 20, data.length - at)));
        if (at == 2 * (1 << 20) * 8) upload.sync(); // a chunk acknowledged mid-way, with a sync possibly in flight
      }
      upload.sync();

      var info = upload.commit(sha256(data));

      assertThat(info.size()).isEqualTo(data.length);
      assertThat(Files.readAllBytes(store.paths().blob(info.digest()))).isEqualTo(data);
    }
  }

  @Test
  void anUploadWhoseBackgroundSyncFailedIsRefusedThenReopenedFromDiskAndCommitsWhatIsThere() throws IOException {
    try (var store = new FileSystemBlobStore(root)) {
      byte[] data = randomBytes(100_000, 8);
      UploadId id = UploadId.random();
      var upload = (FileSystemBlobUpload) store.startUpload(id);
      upload.append(ByteBuffer.wrap(data));
      upload.writeBehind().failed(new IOException("EIO")); // as a failing disk's fdatasync would

      assertThatThrownBy(upload::sync).hasStackTraceContaining("background sync failed");
      // Not stuck with that failure for good: the session is found again on disk, its hash rebuilt from there.
      BlobUpload reopened = store.findUpload(id).orElseThrow();
      assertThat(reopened).isNotSameAs(upload);
      assertThat(reopened.size()).isEqualTo(data.length);
      reopened.sync();
      var info = reopened.commit(sha256(data));

      assertThat(Files.readAllBytes(store.paths().blob(info.digest()))).isEqualTo(data);
    }
  }
}
