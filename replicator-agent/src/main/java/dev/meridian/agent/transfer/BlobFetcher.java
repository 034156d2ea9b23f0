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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one piece of content from one peer into the local blob store, in a single attempt: retries,
 * choice of peer and circuit breaking belong to the caller.
 *
 * <p>A blob goes through an upload session whose id is derived from its digest ({@link #uploadIdFor}), so a
 * failed attempt, or an agent restarted mid-copy, leaves the bytes received so far in a session the next
 * attempt finds and resumes with {@code Range: bytes=<held>-}. A peer that answers the whole blob instead
 * (200) restarts it from 0. Bytes pass through one fixed buffer: memory stays flat whatever the size.
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

  private final BlobStore store;
  private final int bufferSize;
  private final DigestLocks locks = new DigestLocks();

  public BlobFetcher(BlobStore store, int bufferSize) {
    this.store = requireNonNull(store, "store");
    if (bufferSize < 1) throw new IllegalArgumentException("bufferSize < 1");
    this.bufferSize = bufferSize;
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
    Optional<BlobInfo> present = store.stat(digest);
    if (present.isPresent()) return present.get();
    try (DigestLocks.Held held = locks.lock(digest)) {
      present = store.stat(digest); // another job may have fetched it while this one waited
      if (present.isPresent()) return present.get();
      return resume(peer, repository, digest, expectedSize);
    }
  }

  private BlobInfo resume(PeerClient peer, RepositoryName repository, Digest digest, long expectedSize) {
    UploadId id = uploadIdFor(digest);
    BlobUpload upload = store.findUpload(id).orElseGet(() -> store.startUpload(id));
    if (expectedSize > 0 && upload.size() > expectedSize) upload = restart(upload);
    if (expectedSize > 0 && upload.size() == expectedSize) {
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
        copy(blob.content(), upload, peer, digest);
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

  private void copy(InputStream in, BlobUpload upload, PeerClient peer, Digest digest) {
    byte[] buffer = new byte[bufferSize];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    long sinceSync = 0;
    while (true) {
      int read;
      try {
        read = in.read(buffer);
      } catch (IOException e) {
        throw new PeerUnavailableException(
            "peer " + peer.region() + " failed sending " + digest + " after byte " + upload.size() + ": " + e, e);
      }
      if (read == -1) return;
      wrapped.clear().limit(read);
      upload.append(wrapped);
      sinceSync += read;
      if (sinceSync >= SYNC_EVERY_BYTES) {
        upload.sync();
        sinceSync = 0;
      }
    }
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
