package dev.meridian.core.state;

import java.util.ArrayList;
import java.util.List;

/** Writes committed together, atomically and durably, or not at all. */
public record StateBatch(List<StateWrite> writes) {
  public StateBatch {
    writes = List.copyOf(writes);
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
