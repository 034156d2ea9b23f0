package dev.meridian.core.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.digest.Digest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobPresenceTest {
  private static final byte[] LAYER = "a layer".getBytes(UTF_8);
  private static final Digest DIGEST = Digest.sha256Of(LAYER);

  @TempDir
  Path dir;
  private FileSystemBlobStore blobs;

  private FileSystemBlobStore blobs() {
    if (blobs == null) blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    return blobs;
  }

  @AfterEach
  void close() {
    if (blobs != null) blobs.close();
  }

  @Test
  void aBlobThatArrivesAfterItWasFoundMissingIsSeenAtTheNextQuestion() {
    BlobPresence presence = BlobPresence.withinBatch(blobs());
    assertThat(presence.isPresent(DIGEST)).isFalse();

    blobs().put(DIGEST, new ByteArrayInputStream(LAYER));

    assertThat(presence.isPresent(DIGEST)).isTrue();
  }

  @Test
  void withinOneBatchABlobFoundPresentIsNotLookedUpAgain() {
    blobs().put(DIGEST, new ByteArrayInputStream(LAYER));
    BlobPresence batch = BlobPresence.withinBatch(blobs());
    assertThat(batch.isPresent(DIGEST)).isTrue();

    blobs().delete(DIGEST);

    // The batch still answers from what it found (its commit is guarded by the poll's claim); a new batch asks again.
    assertThat(batch.isPresent(DIGEST)).isTrue();
    assertThat(BlobPresence.withinBatch(blobs()).isPresent(DIGEST)).isFalse();
  }

  @Test
  void askingEachTimeSeesADeletionAtOnce() {
    blobs().put(DIGEST, new ByteArrayInputStream(LAYER));
    BlobPresence each = BlobPresence.eachTime(blobs());
    assertThat(each.isPresent(DIGEST)).isTrue();

    blobs().delete(DIGEST);

    assertThat(each.isPresent(DIGEST)).isFalse();
  }
}
