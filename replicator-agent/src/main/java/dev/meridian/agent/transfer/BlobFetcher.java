package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.StorageFullException;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one piece of content from one peer into the local blob store, in a single attempt: retries,
 * choice of peer and circuit breaking belong to the caller.
 *
 * <p>A blob goes through an upload session whose id is derived from its digest ({@link #uploadIdFor}), so a
 * failed attempt, or an agent restarted mid-copy, leaves the bytes received so far in a session the next
 * attempt finds and resumes with {@code Range: bytes=<held>-}. A peer that answers the whole blob instead
 * (200) restarts it from 0. Bytes pass through fixed buffers (a read buffer, and a reused 4 MiB gathering buffer
 * outside the heap when the store writes past the page cache): memory stays flat whatever the size.
 *
 * <p>Nothing unverified becomes visible: a blob is published by {@code commit}, which checks its digest; a
 * manifest's bytes are checked before {@code BlobStore.put}. On a mismatch the bytes are discarded and a
 * {@code DIGEST_INVALID} {@link RegistryException} is thrown, which callers count against the peer. The
 * bytes of a session may come from several peers (one attempt each); a mismatch blames the last one.
 */
public final class BlobFetcher {
  private static final Logger log = LoggerFactory.getLogger(BlobFetcher.class);
  private static final String UPLOAD_PREFIX = "xfer-";
  /**
   * Bytes between fsyncs of a session: a resume after a power cut loses at most this much. Each fsync stalls
   * the copy (the peer's socket stops being read meanwhile); the commit syncs whatever is left before publishing.
   */
  private static final long SYNC_EVERY_BYTES = 256L * 1024 * 1024;

  /**
   * Bytes per direct write. Larger writes keep the disk busier per system call; each copy in progress holds one such
   * buffer (outside the heap, reused), so memory stays flat whatever the blob's size.
   */
  static final int DIRECT_CHUNK = 4 * 1024 * 1024;

  private final BlobStore store;
  private final int bufferSize;
  private final boolean directWrites;
  private final DigestLocks locks = new DigestLocks();
  private final ConcurrentLinkedQueue<ByteBuffer> directBuffers = new ConcurrentLinkedQueue<>();

  /** Gathering buffers kept between copies: as many as copies run at once (the copy pool's size). */
  private final int keptDirectBuffers;

  /** Writing what it copies past the page cache where the store can ({@link BlobUpload#directAlignment()}). */
  public BlobFetcher(BlobStore store, int bufferSize) {
    this(store, bufferSize, true, 1);
  }

  /**
   * With {@code directWrites} false every copy is written through the page cache; {@code keptDirectBuffers}
   * gathering buffers are kept for the next copies (the copies that run at once).
   */
  public BlobFetcher(BlobStore store, int bufferSize, boolean directWrites, int keptDirectBuffers) {
    this.store = requireNonNull(store, "store");
    if (bufferSize < 1) throw new IllegalArgumentException("bufferSize < 1");
    if (keptDirectBuffers < 0) throw new IllegalArgumentException("keptDirectBuffers < 0");
    this.bufferSize = bufferSize;
    this.directWrites = directWrites;
    this.keptDirectBuffers = keptDirectBuffers;
  }

  /** The upload session of a transfer of {@code digest}: the same for every attempt and every restart. */
  public static UploadId uploadIdFor(Digest digest) {
    return new UploadId(UPLOAD_PREFIX + digest.algorithm().id() + "-" + digest.hex());
  }

  /**
   * Fetches a blob from {@code peer} unless it is present already.
   *
   * @param expectedSize its size from the referencing descriptor, or 0 when unknown
   */
  public BlobInfo fetchBlob(PeerClient peer, RepositoryName repository, Digest digest, long expectedSize) {
    return fetch(peer, repository, digest, expectedSize, true);
  }

  /**
   * As {@link #fetchBlob}, for a size a client claims (the descriptor of a manifest PUT not accepted yet): it picks
   * the transfer path and the answer wait, and a peer serving another size is refused, but the session is never
   * restarted or committed on its word. The session is shared with the transfer worker, which copies by a size
   * that was checked: a claimed size smaller than the bytes held would otherwise throw a long copy away.
   */
  public BlobInfo fetchBlobOfClaimedSize(PeerClient peer, RepositoryName repository, Digest digest, long claimedSize) {
    return fetch(peer, repository, digest, claimedSize, false);
  }

  private BlobInfo fetch(PeerClient peer, RepositoryName repository, Digest digest, long expectedSize, boolean sizeChecked) {
    Optional<BlobInfo> present = store.stat(digest);
    if (present.isPresent()) return present.get();
    try (DigestLocks.Held held = locks.lock(digest)) {
      present = store.stat(digest); // another job may have fetched it while this one waited
      if (present.isPresent()) return present.get();
      return resume(peer, repository, digest, expectedSize, sizeChecked);
    }
  }

  private BlobInfo resume(PeerClient peer, RepositoryName repository, Digest digest, long expectedSize, boolean sizeChecked) {
    UploadId id = uploadIdFor(digest);
    BlobUpload upload = store.findUpload(id).orElseGet(() -> store.startUpload(id));
    if (sizeChecked && expectedSize > 0 && upload.size() > expectedSize) upload = restart(upload);
    if (sizeChecked && expectedSize > 0 && upload.size() == expectedSize) {
      // Everything arrived in an earlier attempt. Should it not verify, those bytes were not this peer's:
      // start over from this peer rather than blame it.
      try {
        return upload.commit(digest);
      } catch (RegistryException e) {
        if (e.code() != OciErrorCode.DIGEST_INVALID) throw e;
        log.warn("transfer.restart digest={} held_bytes={} reason=held_bytes_digest_mismatch", digest, expectedSize);
        upload = store.startUpload(id);
      }
    }
    long from = upload.size();
    try (PeerBlob blob = peer.openBlob(repository, digest, from, expectedSize)) {
      long total = blob.totalSize().orElse(expectedSize);
      if (expectedSize > 0 && blob.totalSize().isPresent() && total != expectedSize) {
        throw new RegistryException(OciErrorCode.SIZE_INVALID,
            "peer " + peer.region() + " serves " + digest + " as " + total + " bytes, the descriptor says " + expectedSize);
      }
      if (!blob.rangeHonoured() && from > 0) {
        log.info("transfer.restart digest={} source={} held_bytes={} reason=range_not_honoured", digest, peer.region(), from);
        upload = restart(upload);
      }
      try {
        copy(blob, upload, peer, digest);
      } catch (StorageFullException e) {
        // The disk is full: give the bytes held so far back (the region needs the space more than a resume
        // point), and let the job's backoff try again later, from byte 0.
        log.warn("transfer.out_of_space digest={} source={} held_bytes={} outcome=partial_copy_discarded", digest, peer.region(), upload.size());
        upload.cancel();
        throw e;
      }
      if (total > 0 && upload.size() < total) {
        throw new PeerUnavailableException("peer " + peer.region() + " ended " + digest + " at byte " + upload.size() + " of " + total);
      }
    } catch (RegistryException e) {
      // The held bytes cannot be resumed from this offset (416, or a 206 from elsewhere): start over next time.
      if (e.code() == OciErrorCode.RANGE_INVALID) {
        restart(upload);
        throw new PeerUnavailableException(e.getMessage(), e);
      }
      throw e;
    }
    return commit(upload, peer, digest);
  }

  /** Whether another caller is copying {@code digest} right now (a hint: it may change at once). */
  public boolean isBeingFetched(Digest digest) {
    return locks.isHeld(digest);
  }

  /** Fetches a manifest's bytes from {@code peer}, checks them against {@code digest}, then stores them. */
  public BlobInfo fetchManifest(PeerClient peer, RepositoryName repository, Digest digest) {
    Optional<BlobInfo> present = store.stat(digest);
    if (present.isPresent()) return present.get();
    byte[] bytes = peer.fetchManifest(repository, digest);
    Digest actual = Digest.of(digest.algorithm(), bytes);
    if (!actual.equals(digest)) {
      throw RegistryException.digestInvalid("peer " + peer.region() + " served manifest " + digest + " with digest " + actual);
    }
    return store.put(digest, new ByteArrayInputStream(bytes));
  }

  private void copy(PeerBlob blob, BlobUpload upload, PeerClient peer, Digest digest) {
    InputStream in = blob.content();
    int alignment = directWrites ? upload.directAlignment() : 0;
    ByteBuffer chunk = alignment > 0 && DIRECT_CHUNK % alignment == 0 ? takeDirectBuffer(alignment) : null;
    if (chunk != null) {
      try {
        ReadyBytes body = blob.readyBytes().orElseGet(() -> new StreamReadyBytes(in, new byte[bufferSize]));
        copyDirect(body, chunk, upload, peer, digest, alignment);
      } finally {
        giveBack(chunk);
      }
      return;
    }
    byte[] buffer = new byte[bufferSize];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    long sinceSync = 0;
    for (int read; (read = read(in, buffer, upload, peer, digest)) != -1; ) {
      wrapped.clear().limit(read);
      upload.append(wrapped);
      sinceSync += read;
      if (sinceSync >= SYNC_EVERY_BYTES) {
        upload.sync();
        sinceSync = 0;
      }
    }
  }

  /**
   * As {@link #copy}, gathering the bytes into an aligned buffer outside the heap, whose aligned part is appended
   * (past the page cache) when it is full or when the peer has nothing more ready (the next read may wait). So a
   * stalled or failing peer leaves everything that arrived in the session, less than one block at most, and a fast
   * one gets writes of up to {@link #DIRECT_CHUNK}. A session resumed at an offset that is not aligned first gets the
   * bytes up to the next boundary (buffered); so does the tail of the blob. A body read from its own socket
   * ({@link SocketBody}) lands in the buffer with no copy in between; the JDK client's stream passes through a read
   * buffer ({@link StreamReadyBytes}).
   */
  private void copyDirect(ReadyBytes body, ByteBuffer chunk, BlobUpload upload, PeerClient peer, Digest digest, int alignment) {
    long sinceSync = 0;
    try {
      while (true) {
        int read = readReady(body, chunk, upload, peer, digest);
        if (read == -1) break;
        if (!chunk.hasRemaining()) {
          sinceSync += appendGathered(chunk, upload, alignment, false);
        } else if (read == 0) {
          // Nothing more has arrived: write what did before waiting, so a stalled peer leaves it in the session.
          if (chunk.position() > 0) sinceSync += appendGathered(chunk, upload, alignment, false);
          awaitBytes(body, upload, peer, digest);
        }
        if (sinceSync >= SYNC_EVERY_BYTES) {
          upload.sync();
          sinceSync = 0;
        }
      }
    } catch (PeerUnavailableException e) {
      try {
        appendGathered(chunk, upload, alignment, true);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    appendGathered(chunk, upload, alignment, true);
  }

  private static int readReady(ReadyBytes body, ByteBuffer chunk, BlobUpload upload, PeerClient peer, Digest digest) {
    try {
      return body.readReady(chunk);
    } catch (IOException e) {
      throw failedSending(upload, peer, digest, e);
    }
  }

  private static void awaitBytes(ReadyBytes body, BlobUpload upload, PeerClient peer, Digest digest) {
    try {
      body.awaitBytes();
    } catch (IOException e) {
      throw failedSending(upload, peer, digest, e);
    }
  }

  /**
   * Appends the bytes gathered in {@code chunk} (from its start to its position): up to the session's next aligned
   * offset buffered, then every whole block in one direct append; the rest too ({@code all}) or, moved to the
   * start, kept for the next call. Returns the bytes appended.
   */
  private static int appendGathered(ByteBuffer chunk, BlobUpload upload, int alignment, boolean all) {
    if (chunk.position() == 0) return 0;
    chunk.flip();
    int appended = 0;
    int misaligned = (int) (upload.size() % alignment);
    if (misaligned != 0) {
      int head = Math.min(chunk.remaining(), alignment - misaligned);
      upload.append(chunk.slice(0, head));
      chunk.position(head).compact().flip(); // once per session resumed mid-block: the rest starts aligned again
      appended += head;
    }
    int blocks = chunk.remaining() - chunk.remaining() % alignment;
    if (blocks > 0) {
      upload.appendDirect(chunk.slice(0, blocks));
      appended += blocks;
    }
    chunk.position(blocks);
    if (all && chunk.hasRemaining()) {
      appended += chunk.remaining();
      upload.append(chunk);
    }
    chunk.compact(); // what is left (less than a block) moves to the start; ready to gather more
    return appended;
  }

  /**
   * A gathering buffer: a reused one, or a new one. Null when direct memory is exhausted ({@code
   * -XX:MaxDirectMemorySize}, by default the heap's maximum): the copy is then buffered, not failed.
   */
  private ByteBuffer takeDirectBuffer(int alignment) {
    ByteBuffer reused = directBuffers.poll();
    if (reused != null && reused.alignmentOffset(0, alignment) == 0) return reused.clear();
    try {
      return ByteBuffer.allocateDirect(DIRECT_CHUNK + alignment).alignedSlice(alignment).limit(DIRECT_CHUNK).slice();
    } catch (OutOfMemoryError e) {
      log.warn("transfer.direct_buffer_unavailable bytes={} outcome=buffered_copy reason={}", DIRECT_CHUNK, e.toString());
      return null;
    }
  }

  /**
   * Keeps at most {@code keptDirectBuffers} for later copies (two copies ending at once may keep one more); the
   * rest are left to the garbage collector.
   */
  private void giveBack(ByteBuffer chunk) {
    if (directBuffers.size() < keptDirectBuffers) directBuffers.offer(chunk);
  }

  private static int read(InputStream in, byte[] buffer, BlobUpload upload, PeerClient peer, Digest digest) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw failedSending(upload, peer, digest, e);
    }
  }

  private static PeerUnavailableException failedSending(BlobUpload upload, PeerClient peer, Digest digest, IOException e) {
    return new PeerUnavailableException(
        "peer " + peer.region() + " failed sending " + digest + " after byte " + upload.size() + ": " + e, e);
  }

  private BlobInfo commit(BlobUpload upload, PeerClient peer, Digest digest) {
    try {
      return upload.commit(digest); // on a mismatch the session is discarded: the next attempt starts at 0
    } catch (RegistryException e) {
      if (e.code() == OciErrorCode.DIGEST_INVALID) {
        log.warn("transfer.rejected digest={} source={} reason=digest_mismatch", digest, peer.region());
      }
      throw e;
    }
  }

  private BlobUpload restart(BlobUpload upload) {
    upload.cancel();
    return store.startUpload(upload.id());
  }
}
