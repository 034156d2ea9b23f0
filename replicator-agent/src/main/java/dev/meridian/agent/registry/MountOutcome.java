package dev.meridian.agent.registry;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobInfo;

/** The answer to a cross-repository mount: mounted at once (201), or an ordinary upload started (202). */
public sealed interface MountOutcome {

  /** The source repository holds the blob; it is now linked in the target repository too. */
  record Mounted(BlobInfo blob) implements MountOutcome {
    public Mounted {
      requireNonNull(blob, "blob");
    }
  }

  /** The blob could not be mounted; the client uploads it in this new session. */
  record Started(UploadStatus upload) implements MountOutcome {
    public Started {
      requireNonNull(upload, "upload");
    }
  }
}
