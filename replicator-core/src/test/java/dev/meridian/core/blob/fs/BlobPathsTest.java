package dev.meridian.core.blob.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BlobPathsTest {
  private static final String HEX256 = "ab" + "0123456789abcdef".repeat(4).substring(2);
  private static final String HEX512 = "cd" + "0123456789abcdef".repeat(8).substring(2);
  private final Path root = Path.of("/var/lib/meridian");
  private final BlobPaths paths = new BlobPaths(root);

  @Test
  void blobsAreShardedByAlgorithmAndTheFirstTwoHexCharacters() {
    assertThat(paths.blob(Digest.parse("sha256:" + HEX256)))
        .isEqualTo(root.resolve("blobs/sha256/ab/" + HEX256));
    assertThat(paths.blob(Digest.parse("sha512:" + HEX512)))
        .isEqualTo(root.resolve("blobs/sha512/cd/" + HEX512));
  }

  @Test
  void uploadSessionsAndTempFilesHaveTheirOwnDirectories() {
    UploadId id = new UploadId("abc-123_X");
    assertThat(paths.uploadData(id)).isEqualTo(root.resolve("uploads/abc-123_X/data"));
    assertThat(paths.newTempFile().getParent()).isEqualTo(root.resolve("tmp"));
    assertThat(paths.newTempFile()).isNotEqualTo(paths.newTempFile());
  }

  @Test
  void aBlobPathMapsBackToItsDigest() {
    Digest digest = Digest.parse("sha512:" + HEX512);
    assertThat(paths.digestOf(paths.blob(digest))).contains(digest);
  }

  @Test
  void onlyBlobsAtTheirProperPlaceMapBackToADigest() {
    assertThat(paths.digestOf(root.resolve("blobs/sha256/cd/" + HEX256))).as("wrong shard").isEmpty();
    assertThat(paths.digestOf(root.resolve("blobs/sha256/ab/" + HEX256.toUpperCase()))).isEmpty();
    assertThat(paths.digestOf(root.resolve("blobs/md5/ab/" + HEX256))).isEmpty();
    assertThat(paths.digestOf(root.resolve("blobs/sha512/ab/" + HEX256))).as("wrong length").isEmpty();
    assertThat(paths.digestOf(root.resolve("blobs/sha256/ab"))).isEmpty();
    assertThat(paths.digestOf(root.resolve("tmp/x/y/" + HEX256))).isEmpty();
  }
}
