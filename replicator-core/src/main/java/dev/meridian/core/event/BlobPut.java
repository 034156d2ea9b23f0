package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;

/** A blob finished uploading in the origin region; peers may start copying it before the manifest arrives. */
public record BlobPut(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository, Digest digest, long size)
    implements ReplicationEvent {
  public BlobPut {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(digest, "digest");
    EventFields.requireSize(size);
  }

  @Override
  public EventType type() {
    return EventType.BLOB_PUT;
  }
}
