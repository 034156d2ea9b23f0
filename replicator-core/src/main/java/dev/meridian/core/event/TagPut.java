package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;

/** A tag now points at a manifest digest. */
public record TagPut(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository, Tag tag, Digest digest)
    implements ReplicationEvent {
  public TagPut {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(tag, "tag");
    requireNonNull(digest, "digest");
  }

  @Override
  public EventType type() {
    return EventType.TAG_PUT;
  }
}
