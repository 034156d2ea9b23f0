package dev.meridian.core.blob;

import dev.meridian.core.digest.Digest;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed blob storage shared by every repository of one region: a digest names bytes, and
 * which repository may see them is metadata, not storage. Manifests are stored here too, as blobs.
 */
public interface BlobStore {
  Optional<BlobInfo> stat(Digest digest);

  /** Opens a blob to read; throws {@code BLOB_UNKNOWN} if absent. */
  BlobContent open(Digest digest);

  /**
   * Streams {@code content} in, verifies it against {@code expected}, publishes it atomically.
   * Idempotent: putting a digest already present reads nothing more and returns the existing blob.
   * Throws {@code DIGEST_INVALID} on a mismatch, leaving nothing behind.
   */
  BlobInfo put(Digest expected, InputStream content);

  /** Starts a new upload session with this id; throws {@code BLOB_UPLOAD_INVALID} if it exists. */
  BlobUpload startUpload(UploadId id);

  /** Reopens an upload session, e.g. after a restart; its size is what was durably received. */
  Optional<BlobUpload> findUpload(UploadId id);

  /** Removes the blob; readers already streaming it finish unharmed. Returns whether it existed. */
  boolean delete(Digest digest);

  /**
   * Moves a blob whose bytes no longer match its digest out of the store, where it is never served nor
   * visited again (kept for an operator to inspect); a later {@link #put} of the digest stores it afresh.
   * Readers already streaming it finish on the old bytes. Returns whether it was there.
   */
  boolean quarantine(Digest digest);

  /** Visits every stored blob (for scrubbing and garbage collection). */
  void forEach(Consumer<BlobInfo> visitor);

  /**
   * When the blob was stored (the last time its bytes were written, not read); empty if absent. Garbage
   * collection keeps blobs younger than its grace period whatever references them.
   */
  Optional<Instant> lastModified(Digest digest);

  /** Visits every upload session on disk, open or not (for reclaiming abandoned ones). */
  void forEachUpload(Consumer<UploadInfo> visitor);

  /**
   * A directory on the store's own disk for a caller's temporary files (a snapshot being downloaded), emptied when
   * the store opens, so a crash leaves nothing there for long; empty for a store without one (the system's
   * temporary directory is then used).
   */
  default Optional<java.nio.file.Path> scratchDirectory() {
    return Optional.empty();
  }
}
