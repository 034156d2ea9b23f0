package dev.meridian.agent.registry;

import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exclusive right to append to one upload session, held for the length of one request. Obtained from
 * {@link RegistryService#beginWrite} and handed back through {@code endChunk}, {@code completeUpload} or
 * {@code abandonWrite}. While one request holds it, another request on the same session gets a 416.
 *
 * <p>Not thread-safe: the HTTP layer calls it from one task at a time.
 */
public final class UploadWriter {
  private final RepositoryName repository;
  private final BlobUpload upload;
  private final AtomicLong offset;
  private final AtomicBoolean held;
  private final AtomicBoolean released = new AtomicBoolean();

  UploadWriter(RepositoryName repository, BlobUpload upload, AtomicLong offset, AtomicBoolean held) {
    this.repository = repository;
    this.upload = upload;
    this.offset = offset;
    this.held = held;
  }

  public RepositoryName repository() {
    return repository;
  }

  public UploadId id() {
    return upload.id();
  }

  /** Bytes received so far, including those not yet synced. */
  public long offset() {
    return offset.get();
  }

  /** Appends the buffer's remaining bytes. */
  public void append(ByteBuffer bytes) {
    if (released.get()) throw new IllegalStateException("writer of upload " + upload.id() + " was released");
    int length = bytes.remaining();
    upload.append(bytes);
    offset.addAndGet(length);
  }

  BlobUpload upload() {
    return upload;
  }

  /** Gives the session back, once: a second call must not free a session another request took since. */
  boolean release() {
    if (!released.compareAndSet(false, true)) return false;
    held.set(false);
    return true;
  }

  UploadStatus status() {
    return new UploadStatus(repository, upload.id(), offset.get());
  }
}
