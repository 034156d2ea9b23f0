package dev.meridian.core.blob;

import dev.meridian.core.digest.Digest;
import java.nio.ByteBuffer;

/**
 * A resumable upload: bytes appended in order to a temporary file, hashed as they arrive, published under
 * their digest only by {@link #commit}. Nothing of it is visible under a digest before that.
 *
 * <p>Not thread-safe: one caller appends at a time (the HTTP layer serialises chunks of one session).
 */
public interface BlobUpload {
  UploadId id();

  /** Bytes received so far; the next append starts at this offset. */
  long size();

  /** Appends the buffer's remaining bytes. */
  void append(ByteBuffer bytes);

  /**
   * As {@link #append}, past the page cache ({@code O_DIRECT}) when the bytes fit: a direct buffer whose address and
   * length are multiples of {@link #directAlignment()}, at a {@link #size()} that is one too. For bytes nobody reads
   * back soon (a replica's copy), that saves copying them into the page cache and leaves the cache to what is read.
   * Anything else is appended as {@link #append} does; the bytes stored are the same either way.
   */
  default void appendDirect(ByteBuffer bytes) {
    append(bytes);
  }

  /** The alignment {@link #appendDirect} needs to bypass the page cache, or 0 when it never does here. */
  default int directAlignment() {
    return 0;
  }

  /** Makes every byte appended so far durable (fsync): called before a chunk is acknowledged. */
  void sync();

  /**
   * Fsyncs, verifies the content against {@code expected}, and renames it atomically into place. On a
   * mismatch throws {@code DIGEST_INVALID} and discards the session. Idempotent with respect to the store:
   * committing a digest already present just drops the temp file.
   */
  BlobInfo commit(Digest expected);

  /** Discards the session and its bytes. */
  void cancel();
}
