package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;

/** A blob was unlinked from a repository; the bytes may stay while other repositories link them. */
public record BlobUnlink(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository, Digest digest)
    implements ReplicationEvent {
  public BlobUnlink {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(digest, "digest");
  }

  @Override
  public EventType type() {
    return EventType.BLOB_UNLINK;
  }
}
