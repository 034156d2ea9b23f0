package dev.meridian.core.blob.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Path traversal is impossible by construction: whatever text a client sends as a digest or an upload id, it is
 * refused with an OCI error, or it names a path strictly inside the store's {@code blobs/} or {@code uploads/}.
 */
class BlobPathsFuzzTest {
  private static final BlobPaths PATHS = new BlobPaths(Path.of("/srv/meridian/blobs-root"));

  @Property(tries = 3000)
  void anyAcceptedDigestNamesAFileInsideBlobs(@ForAll("hostile") String text) {
    Digest digest;
    try {
      digest = Digest.parse(text);
    } catch (RegistryException refused) {
      return;
    }
    Path file = PATHS.blob(digest);
    assertThat(file.normalize()).isEqualTo(file);
    assertThat(file.startsWith(PATHS.blobsDir())).as("%s inside blobs/", file).isTrue();
    assertThat(PATHS.blobsDir().relativize(file).getNameCount()).isEqualTo(3);
    assertThat(PATHS.digestOf(file)).contains(digest);
  }

  @Property(tries = 3000)
  void anyAcceptedUploadIdNamesADirectoryInsideUploads(@ForAll("hostile") String text) {
    UploadId id;
    try {
      id = new UploadId(text);
    } catch (RegistryException refused) {
      return;
    }
    Path dir = PATHS.uploadDir(id);
    assertThat(dir.normalize()).isEqualTo(dir);
    assertThat(dir.getParent()).isEqualTo(PATHS.uploadsDir());
  }

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> pieces = Arbitraries.of("..", ".", "/", "\\", "%2e", "%2f", "\u0000", "sha256:", "sha512:", "a", "0", "f",
        "ab", "-", "_", "~", ":", "\n", "é");
    return Arbitraries.oneOf(
        pieces.list().ofMaxSize(20).map(l -> String.join("", l)),
        Arbitraries.strings().withChars("abcdef0123456789./:\\-_%").ofMaxLength(140),
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("abcdef0123456789").ofLength(64).map(hex -> "sha256:" + hex),
        Arbitraries.strings().withChars("abcdef0123456789").ofLength(62).map(hex -> "sha256:" + hex + ".."));
  }
}
