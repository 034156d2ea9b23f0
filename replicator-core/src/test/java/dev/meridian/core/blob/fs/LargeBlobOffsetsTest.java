package dev.meridian.core.blob.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published blob beyond 4 GiB is stated and read at offsets past 2^31 and 2^32 exactly. The blob is a sparse
 * file (its holes cost no disk), placed at its published path: only sizes and offsets are under test here, so
 * its digest is a name, not the hash of its bytes.
 */
class LargeBlobOffsetsTest {
  private static final long SIZE = (5L << 30) + 7;
  private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));

  @TempDir Path root;
  private FileSystemBlobStore store;

  @AfterEach
  void close() {
    if (store != null) store.close();
  }

  @Test
  void blobOfFiveGibibytesIsStatedAndReadPastTheIntRange() throws IOException {
    store = new FileSystemBlobStore(root);
    Path file = new BlobPaths(root).blob(DIGEST);
    Files.createDirectories(file.getParent());
    long pastInt = (1L << 31) + 3;
    long pastUnsignedInt = (1L << 32) + 11;
    try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(SIZE);
      write(raf, pastInt, "over-2G");
      write(raf, pastUnsignedInt, "over-4G");
      write(raf, SIZE - 4, "tail");
    }

    assertThat(store.stat(DIGEST)).hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(SIZE));
    try (BlobContent content = store.open(DIGEST)) {
      assertThat(content.info().size()).isEqualTo(SIZE);
      assertThat(read(content, pastInt, 7)).isEqualTo("over-2G");
      assertThat(read(content, pastUnsignedInt, 7)).isEqualTo("over-4G");
      try (InputStream tail = content.openStream(SIZE - 4, SIZE)) {
        assertThat(new String(tail.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("tail");
      }
      try (InputStream whole = content.openStream(0, SIZE)) {
        assertThat(whole.available()).isEqualTo(Integer.MAX_VALUE);
        assertThat(whole.skip(SIZE - 2)).isEqualTo(SIZE - 2);
        assertThat(new String(whole.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("il");
      }
    }
  }

  private static void write(RandomAccessFile raf, long position, String text) throws IOException {
    raf.seek(position);
    raf.write(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String read(BlobContent content, long from, int length) throws IOException {
    try (InputStream in = content.openStream(from, from + length)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
