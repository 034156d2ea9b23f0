package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.UploadId;

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
}
