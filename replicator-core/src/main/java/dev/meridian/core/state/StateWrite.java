package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.Arrays;

/**
 * One change in a {@link StateBatch}. Register writes merge by their stamps (the higher wins), so
 * applying the same write twice, or writes in any order, leaves the same state.
 */
public sealed interface StateWrite {

  /** Merge a tag register (a put or a tombstone). */
  record PutTag(TagRecord tag) implements StateWrite {
    public PutTag {
      requireNonNull(tag, "tag");
    }
  }

  /** Merge a manifest presence register. */
  record PutManifest(ManifestRecord manifest) implements StateWrite {
    public PutManifest {
      requireNonNull(manifest, "manifest");
    }
  }

  /** Merge a lock register (repository, tag or manifest). */
  record PutLock(LockRecord lock) implements StateWrite {
    public PutLock {
      requireNonNull(lock, "lock");
    }
  }

  /** Merge a credential register (a put or a tombstone). */
  record PutCredential(CredentialRecord credential) implements StateWrite {
    public PutCredential {
      requireNonNull(credential, "credential");
    }
  }

  /** Merge a blob link register. */
  record PutBlobLink(BlobLinkRecord link) implements StateWrite {
    public PutBlobLink {
      requireNonNull(link, "link");
    }
  }

  /** Record an upload session (local state, not a replicated register). */
  record PutUpload(UploadSession session) implements StateWrite {
    public PutUpload {
      requireNonNull(session, "session");
    }
  }

  /** Forget an upload session. */
  record DeleteUpload(UploadId id) implements StateWrite {
    public DeleteUpload {
      requireNonNull(id, "id");
    }
  }

  /**
   * Append an event to the outbox; the store assigns its sequence when the batch commits, so the event
   * is durable exactly when the state change it describes is.
   */
  record AppendOutbox(byte[] payload) implements StateWrite {
    public AppendOutbox {
      if (payload == null || payload.length == 0) throw new IllegalArgumentException("empty outbox payload");
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AppendOutbox other && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "AppendOutbox[" + payload.length + " bytes]";
    }
  }

  /**
   * Record the next offset to consume from a log partition, in the same batch as the state that
   * consuming up to it produced, so a restart resumes exactly there. Not merged: the last write wins.
   */
  record PutConsumerOffset(LogPosition position, long nextOffset) implements StateWrite {
    public PutConsumerOffset {
      requireNonNull(position, "position");
      if (nextOffset < 0) throw new IllegalArgumentException("nextOffset < 0: " + nextOffset);
    }

    public PutConsumerOffset(String topic, int partition, long nextOffset) {
      this(new LogPosition(topic, partition), nextOffset);
    }
  }

  /**
   * Store a small local setting (not replicated). Keys starting with {@value #RESERVED_PREFIX} belong to
   * the store itself and are refused.
   */
  record PutMeta(String key, byte[] value) implements StateWrite {
    public static final String RESERVED_PREFIX = "state.";
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    public PutMeta {
      if (key == null || key.isEmpty() || key.length() > 200) throw new IllegalArgumentException("invalid meta key: " + key);
      if (key.startsWith(RESERVED_PREFIX)) throw new IllegalArgumentException("reserved meta key: " + key);
      requireNonNull(value, "value");
      if (value.length > MAX_VALUE_BYTES) throw new IllegalArgumentException("meta value over 64 KiB: " + key);
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PutMeta other && key.equals(other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
      return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "PutMeta[" + key + ", " + value.length + " bytes]";
    }
  }

  /** Record durable transfer work; for a manifest, also marks it pending (not served). Local, not replicated. */
  record PutTransfer(TransferJob job) implements StateWrite {
    public PutTransfer {
      requireNonNull(job, "job");
    }
  }

  /** The transfer is done (or moot): for a manifest, it becomes servable. */
  record DeleteTransfer(RepositoryName repository, Digest digest, TransferJob.Kind kind) implements StateWrite {
    public DeleteTransfer {
      requireNonNull(repository, "repository");
      requireNonNull(digest, "digest");
      requireNonNull(kind, "kind");
    }
  }

  /**
   * While a tag's winning manifest is pending, the tag keeps serving {@code digest}, the complete manifest
   * it served before. Local, not replicated.
   */
  record PutTagFallback(RepositoryName repository, Tag tag, Digest digest) implements StateWrite {
    public PutTagFallback {
      requireNonNull(repository, "repository");
      requireNonNull(tag, "tag");
      requireNonNull(digest, "digest");
    }
  }

  /** Forget a tag's fallback. */
  record DeleteTagFallback(RepositoryName repository, Tag tag) implements StateWrite {
    public DeleteTagFallback {
      requireNonNull(repository, "repository");
      requireNonNull(tag, "tag");
    }
  }

  /** Remember a blob copied ahead of any manifest, so the sweeper can reclaim it if none claims it. */
  record PutPrefetched(PrefetchedBlob blob) implements StateWrite {
    public PutPrefetched {
      requireNonNull(blob, "blob");
    }
  }

  /** Forget a prefetched blob (claimed by a manifest, or reclaimed). */
  record DeletePrefetched(RepositoryName repository, Digest digest) implements StateWrite {
    public DeletePrefetched {
      requireNonNull(repository, "repository");
      requireNonNull(digest, "digest");
    }
  }

  /** {@code region} holds the manifest completely (learned from a {@code replica.ack}); a grow-only set. */
  record PutReplica(RepositoryName repository, Digest digest, RegionId region) implements StateWrite {
    public PutReplica {
      requireNonNull(repository, "repository");
      requireNonNull(digest, "digest");
      requireNonNull(region, "region");
    }
  }

  /**
   * Queue a notification (a webhook delivery, a record for the notifications topic) under {@code queue}; the store
   * assigns its sequence when the batch commits, so the notification is durable exactly when the change it tells
   * of is. Local, not replicated.
   */
  record AppendNotification(String queue, byte[] payload) implements StateWrite {
    public AppendNotification {
      QueuedNotification.requireQueueName(queue);
      if (payload == null || payload.length == 0) throw new IllegalArgumentException("empty notification payload");
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AppendNotification other && queue.equals(other.queue) && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
      return queue.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "AppendNotification[" + queue + ", " + payload.length + " bytes]";
    }
  }
}
