package dev.meridian.core.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes committed together, atomically, or not at all; durably (synced to disk before {@code apply}
 * returns) unless {@code sync} is false.
 *
 * <p>An unsynced batch is for a sequence of batches that ends with a synced one, such as replaying one poll
 * of the log: the store's write-ahead log is sequential, so syncing the last batch makes every earlier one
 * durable too, and a crash before it loses a suffix of the sequence, never a batch in the middle (replay
 * resumes after the last durable offset). An acknowledgement to a client always follows a synced batch.
 */
public record StateBatch(List<StateWrite> writes, boolean sync) {
  public StateBatch {
    writes = List.copyOf(writes);
  }

  public StateBatch(List<StateWrite> writes) {
    this(writes, true);
  }

  /** The same writes, committed without waiting for the disk. */
  public StateBatch withoutSync() {
    return new StateBatch(writes, false);
  }

  public static StateBatch of(StateWrite... writes) {
    return new StateBatch(List.of(writes));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects writes in order. */
  public static final class Builder {
    private final List<StateWrite> writes = new ArrayList<>();

    public Builder add(StateWrite write) {
      writes.add(write);
      return this;
    }

    public Builder putTag(TagRecord tag) {
      return add(new StateWrite.PutTag(tag));
    }

    public Builder putManifest(ManifestRecord manifest) {
      return add(new StateWrite.PutManifest(manifest));
    }

    public Builder putBlobLink(BlobLinkRecord link) {
      return add(new StateWrite.PutBlobLink(link));
    }

    public Builder putUpload(UploadSession session) {
      return add(new StateWrite.PutUpload(session));
    }

    public Builder appendOutbox(byte[] payload) {
      return add(new StateWrite.AppendOutbox(payload));
    }

    public Builder putConsumerOffset(LogPosition position, long nextOffset) {
      return add(new StateWrite.PutConsumerOffset(position, nextOffset));
    }

    public Builder putMeta(String key, byte[] value) {
      return add(new StateWrite.PutMeta(key, value));
    }

    public StateBatch build() {
      return new StateBatch(writes);
    }
  }
}
