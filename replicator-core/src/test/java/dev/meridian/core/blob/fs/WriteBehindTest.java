package dev.meridian.core.blob.fs;

import static dev.meridian.core.blob.BlobFixtures.randomBytes;
import static dev.meridian.core.blob.BlobFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
  @TempDir Path root;

  @Test
  void aFailedBackgroundSyncFailsEveryLaterSettle() throws IOException {
    FileChannel channel = FileChannel.open(root.resolve("data"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    var writeBehind = new WriteBehind(channel);
    channel.close(); // the background fdatasync now fails, as a failing disk's would
    writeBehind.written(WriteBehind.KICK_BYTES);

    assertThatThrownBy(writeBehind::settle).isInstanceOf(IOException.class).hasMessageContaining("background sync failed");
    assertThatThrownBy(writeBehind::settle).isInstanceOf(IOException.class);
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
