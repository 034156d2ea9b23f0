package dev.meridian.core.blob.fs;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * The on-disk layout of a {@link FileSystemBlobStore}, and the only place that knows it:
 *
 * <pre>
 * root/
 *   blobs/                        published blobs: complete, verified, immutable
 *     sha256/
 *       ab/                       shard: the first two hex characters of the digest
 *         ab12...ef               the blob's bytes, named by the full hex of its digest
 *     sha512/
 *       ...
 *   uploads/                      upload sessions: resumable, survive restarts
 *     &lt;upload id&gt;/
 *       data                      the bytes received so far, in order
 *   tmp/                          in-flight puts: one file per writer, removed at start
 *     &lt;random uuid&gt;.part
 *   quarantine/                   blobs whose bytes failed their digest: never served, kept for inspection
 *     &lt;algorithm&gt;-&lt;hex&gt;-&lt;random uuid&gt;
 * </pre>
 *
 * <p>Every path is built from a {@link Digest} or an {@link UploadId}, whose grammars allow only
 * {@code [a-f0-9]} and {@code [A-Za-z0-9_-]}: no separator, no {@code ..}, so path traversal is
 * impossible by construction. {@code tmp/} and {@code uploads/} live under the same root as
 * {@code blobs/}, hence on the same file system, so publishing is a single atomic rename.
 */
public final class BlobPaths {
  private static final String DATA = "data";
  private static final String TEMP_SUFFIX = ".part";
  private static final int SHARD_LENGTH = 2;

  private final Path root;

  public BlobPaths(Path root) {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path blobsDir() {
    return root.resolve("blobs");
  }

  public Path algorithmDir(DigestAlgorithm algorithm) {
    return blobsDir().resolve(algorithm.id());
  }

  /** {@code blobs/<algorithm>/<first 2 hex>/}: the directory a blob is renamed into. */
  public Path shardDir(Digest digest) {
    return algorithmDir(digest.algorithm()).resolve(digest.hex().substring(0, SHARD_LENGTH));
  }

  /** {@code blobs/<algorithm>/<first 2 hex>/<hex>}. */
  public Path blob(Digest digest) {
    return shardDir(digest).resolve(digest.hex());
  }

  /**
   * The digest a file under {@code blobs/} stands for, or empty for anything that is not a blob at
   * its proper place (a stray file, a wrong shard): such files are never served.
   */
  public Optional<Digest> digestOf(Path blobFile) {
    Path relative = blobsDir().relativize(blobFile.toAbsolutePath().normalize());
    if (relative.getNameCount() != 3) return Optional.empty();
    Optional<DigestAlgorithm> algorithm = DigestAlgorithm.byId(relative.getName(0).toString());
    String shard = relative.getName(1).toString();
    String hex = relative.getName(2).toString();
    if (algorithm.isEmpty() || !algorithm.get().isValidHex(hex) || !hex.startsWith(shard)
        || shard.length() != SHARD_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(new Digest(algorithm.get(), hex));
  }

  public Path uploadsDir() {
    return root.resolve("uploads");
  }

  /** {@code uploads/<upload id>/}: removed as a whole when the session ends. */
  public Path uploadDir(UploadId id) {
    return uploadsDir().resolve(id.value());
  }

  /** {@code uploads/<upload id>/data}. */
  public Path uploadData(UploadId id) {
    return uploadDir(id).resolve(DATA);
  }

  /** The data file of a session directory found by listing {@code uploads/}. */
  static Path dataIn(Path uploadDir) {
    return uploadDir.resolve(DATA);
  }

  public Path tmpDir() {
    return root.resolve("tmp");
  }

  public Path quarantineDir() {
    return root.resolve("quarantine");
  }

  /** A fresh name under {@code quarantine/} for a corrupt copy of {@code digest}; one per quarantine, never reused. */
  public Path newQuarantineFile(Digest digest) {
    return quarantineDir().resolve(digest.algorithm().id() + "-" + digest.hex() + "-" + UUID.randomUUID());
  }

  /** A fresh name under {@code tmp/}, unique to one writer, so concurrent puts never share a file. */
  public Path newTempFile() {
    return tmpDir().resolve(UUID.randomUUID() + TEMP_SUFFIX);
  }
}
