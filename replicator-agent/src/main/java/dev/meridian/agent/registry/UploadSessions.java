package dev.meridian.agent.registry;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.UploadSession;
import dev.meridian.core.replication.ContentGuard;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload sessions: the session's owner repository lives in the state, its bytes in the blob store's upload
 * area, so a chunked upload survives a restart. Open sessions are kept in memory, each with a flag that
 * lets one request at a time write to it.
 */
final class UploadSessions {
  private static final Logger log = LoggerFactory.getLogger(UploadSessions.class);
  private final BlobStore blobs;
  private final RegistryState state;
  private final Clock clock;
  private final Supplier<Stamp> stamps;
  private final ContentGuard guard;
  private final ConcurrentMap<UploadId, Open> open = new ConcurrentHashMap<>();

  /** An open session: the store's handle, the bytes appended so far, and whether a request holds it. */
  private record Open(BlobUpload upload, AtomicLong offset, AtomicBoolean held) {}

  UploadSessions(BlobStore blobs, RegistryState state, Clock clock, Supplier<Stamp> stamps, ContentGuard guard) {
    this.guard = guard;
    this.blobs = blobs;
    this.state = state;
    this.clock = clock;
    this.stamps = stamps;
  }

  UploadStatus start(RepositoryName repository) {
    UploadId id = UploadId.random();
    BlobUpload upload = blobs.startUpload(id);
    state.apply(StateBatch.of(new StateWrite.PutUpload(new UploadSession(id, repository, clock.instant()))));
    open.put(id, new Open(upload, new AtomicLong(upload.size()), new AtomicBoolean()));
    return new UploadStatus(repository, id, upload.size());
  }

  UploadStatus status(RepositoryName repository, String id) {
    Open session = require(repository, id);
    return new UploadStatus(repository, session.upload().id(), session.offset().get());
  }

  UploadWriter beginWrite(RepositoryName repository, String id, OptionalLong expectedOffset) {
    Open session = require(repository, id);
    UploadStatus status = new UploadStatus(repository, session.upload().id(), session.offset().get());
    if (!session.held().compareAndSet(false, true)) {
      throw new UploadRangeException(status, "another request is writing to this upload");
    }
    if (expectedOffset.isPresent() && expectedOffset.getAsLong() != session.offset().get()) {
      session.held().set(false);
      throw new UploadRangeException(
          status, "chunk starts at " + expectedOffset.getAsLong() + " but the upload holds " + status.offset() + " bytes");
    }
    return new UploadWriter(repository, session.upload(), session.offset(), session.held());
  }

  /** Makes the chunk durable and gives the session back. */
  UploadStatus endChunk(UploadWriter writer) {
    try {
      writer.upload().sync();
      return writer.status();
    } finally {
      writer.release();
    }
  }

  /** Gives the session back without syncing (the request failed or the connection dropped). */
  void abandon(UploadWriter writer) {
    writer.release();
  }

  /**
   * Verifies and publishes the blob, then links it and forgets the session in one batch. The blob is claimed
   * from publish to link, so garbage collection cannot delete an old identical blob in between: after the
   * link, its fresh stamp keeps the blob for the grace period the client has to push its manifest.
   */
  BlobInfo complete(UploadWriter writer, Digest digest) {
    UploadId id = writer.id();
    BlobInfo info = guard.claiming(List.of(digest), () -> {
      BlobInfo published;
      try {
        published = writer.upload().commit(digest);
      } catch (RegistryException e) {
        // The store discarded the session (digest mismatch): forget it here too.
        forget(id);
        throw e;
      } finally {
        writer.release();
      }
      state.apply(StateBatch.of(
          new StateWrite.PutBlobLink(new BlobLinkRecord(writer.repository(), published.digest(), true, stamps.get())),
          new StateWrite.DeleteUpload(id)));
      return published;
    });
    open.remove(id);
    log.info("blob.put repo={} digest={} size_bytes={} upload={}", writer.repository(), info.digest(), info.size(), id);
    return info;
  }

  void cancel(RepositoryName repository, String id) {
    Open session = require(repository, id);
    if (!session.held().compareAndSet(false, true)) {
      throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID, "a request is writing to this upload", id, 409);
    }
    session.upload().cancel();
    forget(session.upload().id());
  }

  /**
   * Ends an abandoned session (garbage collection): its bytes and its record go. False if a request is
   * writing to it right now; the session then lives on.
   */
  boolean expire(UploadId id) {
    Open session = open.computeIfAbsent(id, key -> blobs.findUpload(key)
        .map(u -> new Open(u, new AtomicLong(u.size()), new AtomicBoolean()))
        .orElse(null));
    if (session == null) {
      forget(id);
      return false;
    }
    if (!session.held().compareAndSet(false, true)) return false;
    session.upload().cancel();
    forget(id);
    log.info("upload.expired upload={} size_bytes={}", id, session.offset().get());
    return true;
  }

  private void forget(UploadId id) {
    state.apply(StateBatch.of(new StateWrite.DeleteUpload(id)));
    open.remove(id);
  }

  private Open require(RepositoryName repository, String rawId) {
    UploadId id = new UploadId(rawId);
    boolean owned = state.findUpload(id).map(s -> s.repository().equals(repository)).orElse(false);
    if (!owned) throw RegistryException.uploadUnknown(rawId);
    Open session =
        open.computeIfAbsent(
            id,
            key -> blobs.findUpload(key)
                .map(u -> new Open(u, new AtomicLong(u.size()), new AtomicBoolean()))
                .orElse(null));
    if (session == null) throw RegistryException.uploadUnknown(rawId);
    return session;
  }
}
